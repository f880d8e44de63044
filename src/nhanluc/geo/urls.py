from django.urls import path

from nhanluc.geo import views

app_name = "geo"

urlpatterns = [
    path("", views.ProvinceListView.as_view(), name="provinces"),
    path("tim-kiem/", views.UnitSearchView.as_view(), name="search"),
    path("chon-dia-ban/", views.AreaPickerView.as_view(), name="picker"),
    path("tinh/<str:code>/", views.ProvinceDetailView.as_view(), name="province"),
    path("xa/<str:code>/", views.CommuneDetailView.as_view(), name="commune"),
    path("truoc-2025/<str:code>/", views.LegacyUnitDetailView.as_view(), name="legacy"),
]
