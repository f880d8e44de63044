from django.urls import path

from nhanluc.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("ke-hoach/", views.TargetListView.as_view(), name="targets"),
    path("so-lieu-bao-cao/", views.DataValueListView.as_view(), name="data_values"),
    path("so-lieu-bao-cao/mau-trang/", views.DataValueTemplateView.as_view(), name="data_value_template"),
    path("tinh-lai/", views.RefreshView.as_view(), name="refresh"),
    path("bao-cao/", views.ReportView.as_view(), name="reports"),
    path("du-bao/", views.ForecastView.as_view(), name="forecast"),
    path("bao-cao/<int:job_id>/tai-ve/", views.ReportFileView.as_view(), name="report_file"),
    path("<slug:code>/", views.IndicatorView.as_view(), name="indicator"),
]
