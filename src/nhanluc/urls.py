from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from nhanluc.catalogs.api import IndustryViewSet, OccupationViewSet, TrainingFieldViewSet
from nhanluc.core.urls import auth_urlpatterns
from nhanluc.core.views import HomeView, LoginView
from nhanluc.employers.api import (
    EmployerViewSet,
    ForeignWorkerViewSet,
    VacancyViewSet,
    WorkforceReportViewSet,
)
from nhanluc.geo.api import AdminUnitViewSet
from nhanluc.indicators.api import DataValueViewSet, IndicatorValueViewSet, IndicatorViewSet, TargetViewSet
from nhanluc.registry.api import PersonViewSet

router = DefaultRouter()
router.register("units", AdminUnitViewSet, basename="unit")
router.register("occupations", OccupationViewSet, basename="occupation")
router.register("industries", IndustryViewSet, basename="industry")
router.register("training-fields", TrainingFieldViewSet, basename="training-field")
router.register("people", PersonViewSet, basename="person")
router.register("employers", EmployerViewSet, basename="employer")
router.register("workforce-reports", WorkforceReportViewSet, basename="workforce-report")
router.register("vacancies", VacancyViewSet, basename="vacancy")
router.register("foreign-workers", ForeignWorkerViewSet, basename="foreign-worker")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("indicator-values", IndicatorValueViewSet, basename="indicator-value")
router.register("targets", TargetViewSet, basename="target")
router.register("data-values", DataValueViewSet, basename="data-value")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    *auth_urlpatterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("he-thong/", include("nhanluc.core.urls")),
    path("dia-ban/", include("nhanluc.geo.urls")),
    path("danh-muc/", include("nhanluc.catalogs.urls")),
    path("so-lao-dong/", include("nhanluc.registry.urls")),
    path("nhu-cau-lao-dong/", include("nhanluc.employers.urls")),
    path("doanh-nghiep/", include("nhanluc.employers.portal_urls")),
    path("chi-tieu/", include("nhanluc.indicators.urls")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # The admin signs in through our throttled, audited login, not Django's own form.
    path("django-admin/login/", LoginView.as_view()),
    path("django-admin/", admin.site.urls),
]
