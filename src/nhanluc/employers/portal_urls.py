from django.urls import path

from nhanluc.employers import portal

app_name = "portal"

urlpatterns = [
    path("", portal.PortalHomeView.as_view(), name="home"),
    path("dang-ky/", portal.SignUpView.as_view(), name="signup"),
    path("bao-cao/nop/", portal.ReportFileView.as_view(), name="report_file"),
    path("bao-cao/mau-trang/", portal.WorkerTemplateView.as_view(), name="worker_template"),
    path("vi-tri/them/", portal.VacancyFormView.as_view(), name="vacancy_create"),
    path("vi-tri/<int:pk>/sua/", portal.VacancyFormView.as_view(), name="vacancy_update"),
]
