from django.urls import path

from nhanluc.employers import views

app_name = "employers"

urlpatterns = [
    path("", views.EmployerListView.as_view(), name="employers"),
    path("them/", views.EmployerCreateView.as_view(), name="employer_create"),
    path("don-vi/<int:pk>/", views.EmployerDetailView.as_view(), name="employer"),
    path(
        "don-vi/<int:pk>/lao-dong-nuoc-ngoai/",
        views.ForeignWorkerCreateView.as_view(),
        name="foreign_worker_create",
    ),
    path("tai-khoan/", views.AccountListView.as_view(), name="accounts"),
    path("tai-khoan/<int:pk>/", views.AccountDecisionView.as_view(), name="account_decision"),
    path("bao-cao/", views.ReportListView.as_view(), name="reports"),
    path("bao-cao/<int:pk>/", views.ReportDetailView.as_view(), name="report"),
    path("de-xuat/", views.ProposalListView.as_view(), name="proposals"),
    path("de-xuat/<int:pk>/", views.ProposalDecisionView.as_view(), name="proposal_decision"),
    path("vi-tri/", views.VacancyListView.as_view(), name="vacancies"),
    path("vi-tri/<int:pk>/", views.VacancyDetailView.as_view(), name="vacancy"),
    path("vi-tri/nhap/", views.VacancyImportView.as_view(), name="vacancy_import"),
    path("phan-tich/", views.DemandView.as_view(), name="demand"),
]
