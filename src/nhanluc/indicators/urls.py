from django.urls import path

from nhanluc.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("ke-hoach/", views.TargetListView.as_view(), name="targets"),
    path("so-lieu-bao-cao/", views.DataValueListView.as_view(), name="data_values"),
    path("tinh-lai/", views.RefreshView.as_view(), name="refresh"),
    path("<slug:code>/", views.IndicatorView.as_view(), name="indicator"),
]
