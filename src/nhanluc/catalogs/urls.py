from django.urls import path

from nhanluc.catalogs import views

app_name = "catalogs"

urlpatterns = [
    path("", views.CatalogIndexView.as_view(), name="index"),
    path("nap-lai/", views.ReloadReferenceView.as_view(), name="reload"),
    path("nghe/", views.OccupationListView.as_view(), name="occupations"),
    path("nghe/<str:code>/", views.OccupationDetailView.as_view(), name="occupation"),
    path("nganh/", views.IndustryListView.as_view(), name="industries"),
    path("dao-tao/", views.TrainingFieldListView.as_view(), name="training_fields"),
    path("ma/", views.CodeListsView.as_view(), name="code_lists"),
    path("goi-y-nghe/", views.SuggestOccupationView.as_view(), name="suggest"),
]
