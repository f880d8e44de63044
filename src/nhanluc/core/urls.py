from django.contrib.auth import views as auth_views
from django.urls import path

from nhanluc.core import views

app_name = "core"

urlpatterns = [
    path("nhat-ky/", views.AuditListView.as_view(), name="audit"),
    path("nhat-ky-truy-cap/", views.AccessLogListView.as_view(), name="access_log"),
    path("cong-viec/", views.JobListView.as_view(), name="jobs"),
    path("cong-viec/<int:pk>/", views.JobDetailView.as_view(), name="job"),
]

auth_urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
]
