"""Labour demand through the API: employers, workforce report totals, vacancies and foreign workers,
with the same scoping as the pages. An employer account may post a vacancy of its own employer."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response

from nhanluc.core.api import ScopedReadOnlyViewSet
from nhanluc.core.choices import Role
from nhanluc.employers import services
from nhanluc.employers.filters import filter_vacancies
from nhanluc.employers.forms import VacancyFilterForm
from nhanluc.employers.models import Employer, ForeignWorker, Vacancy, WorkforceReport


def _all_read_only(model) -> list[str]:
    # Read-only fields carry no range validators, whose bounds differ between PostgreSQL and SQLite
    # (the schema must not depend on the database).
    return [field.name for field in model._meta.fields]


class EmployerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Employer
        read_only_fields = _all_read_only(Employer)
        fields = [
            "id",
            "tax_code",
            "name",
            "ownership",
            "legal_form",
            "industry_version",
            "main_industry_code",
            "size_band",
            "province_code",
            "commune_code",
            "address",
            "industrial_zone",
        ]


class WorkforceReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkforceReport
        exclude = ["filed_by", "note"]
        read_only_fields = _all_read_only(WorkforceReport)


class VacancySerializer(serializers.ModelSerializer):
    class Meta:
        model = Vacancy
        exclude = ["search_text"]
        read_only_fields = _all_read_only(Vacancy)


class VacancyWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    occupation_code = serializers.CharField(max_length=5, required=False, allow_blank=True)
    quantity = serializers.IntegerField(min_value=1)
    female_quantity = serializers.IntegerField(min_value=0, required=False)
    age_min = serializers.IntegerField(required=False, allow_null=True)
    age_max = serializers.IntegerField(required=False, allow_null=True)
    qualification = serializers.CharField(required=False, allow_blank=True)
    commune_code = serializers.CharField(required=False, allow_blank=True)
    wage_min = serializers.IntegerField(required=False, allow_null=True)
    wage_max = serializers.IntegerField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)
    requirements = serializers.CharField(required=False, allow_blank=True)
    benefits = serializers.CharField(required=False, allow_blank=True)
    deadline = serializers.DateField()
    publish = serializers.BooleanField(default=False)


class ForeignWorkerSerializer(serializers.ModelSerializer):
    class Meta:
        model = ForeignWorker
        exclude = ["passport_number"]  # an identifier the aggregate users of the API do not need
        read_only_fields = _all_read_only(ForeignWorker)


class EmployerViewSet(ScopedReadOnlyViewSet):
    model = Employer
    serializer_class = EmployerSerializer
    filterset_fields = ["commune_code", "ownership", "size_band"]


class WorkforceReportViewSet(ScopedReadOnlyViewSet):
    """Report totals (Mẫu 02/PLI); the per-worker lists are personal data and stay on the logged pages."""

    model = WorkforceReport
    serializer_class = WorkforceReportSerializer
    filterset_fields = ["employer", "year", "period", "status"]


VACANCY_FILTERS = [
    OpenApiParameter("q", str, description="title or employer, diacritics ignored"),
    OpenApiParameter("status", str, description='"open" (published, deadline ahead) or a status'),
    OpenApiParameter("occupation", str, description="VSCO code or its prefix (1–4 digits)"),
    OpenApiParameter("qualification", str),
    OpenApiParameter("commune_code", str),
    OpenApiParameter("source", str),
    OpenApiParameter("wage_at_least", int, description="VND per month"),
]


class VacancyViewSet(ScopedReadOnlyViewSet):
    model = Vacancy
    serializer_class = VacancySerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request, no database
            return Vacancy.objects.none()
        queryset = super().get_queryset()
        if self.action != "list":
            return queryset
        form = VacancyFilterForm(self.request.query_params)
        if not form.is_valid():
            raise APIValidationError(form.errors)
        return filter_vacancies(queryset, form.cleaned_data, today=timezone.localdate())

    @extend_schema(parameters=VACANCY_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=VacancyWriteSerializer, responses={201: VacancySerializer})
    def create(self, request):
        """An employer account posts a vacancy of its own employer (draft, or published with `publish`)."""
        if request.user.role != Role.EMPLOYER:
            raise PermissionDenied(
                "Chỉ tài khoản doanh nghiệp đăng tin qua API / only employer accounts post vacancies"
            )
        employer = Employer.objects.visible_to(request.user).first()
        if employer is None:
            raise PermissionDenied("Tài khoản chưa được duyệt / the account is not approved yet")
        incoming = VacancyWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        publish = data.pop("publish")
        try:
            vacancy = services.save_vacancy(
                employer=employer, data=data, actor=request.user, publish=publish, source="api"
            )
        except ValidationError as error:
            raise APIValidationError(
                error.message_dict if hasattr(error, "error_dict") else error.messages
            ) from None
        return Response(VacancySerializer(vacancy).data, status=status.HTTP_201_CREATED)


class ForeignWorkerViewSet(ScopedReadOnlyViewSet):
    model = ForeignWorker
    serializer_class = ForeignWorkerSerializer
    filterset_fields = ["employer", "nationality"]
