from django.urls import path

from nhanluc.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="people"),
    path("them/", views.PersonCreateView.as_view(), name="person_create"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person"),
    path("<int:pk>/sua/", views.PersonUpdateView.as_view(), name="person_update"),
    path("<int:pk>/giam/", views.PersonDecreaseView.as_view(), name="person_decrease"),
    path("goi-y-nghe/", views.SuggestOccupationView.as_view(), name="suggest"),
    path("nhap/", views.ImportView.as_view(), name="import"),
    path("nhap/mau-trang/", views.BlankTemplateView.as_view(), name="blank_template"),
    path("nhap/<int:pk>/", views.BatchDetailView.as_view(), name="batch"),
    path("nhap/<int:pk>/tep-loi/", views.BatchErrorsView.as_view(), name="batch_errors"),
    path("dia-chi-can-xac-dinh/", views.AddressReviewListView.as_view(), name="address_reviews"),
]
