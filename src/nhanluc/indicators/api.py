"""Indicators through the API: the catalogue, progress of an indicator in a unit and period, the
computed figures by unit and breakdown, targets and reported values — the same query objects and
services as the pages. Aggregates only: no personal record is reachable here."""

from django.conf import settings
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response

from nhanluc.core.api import ScopedReadOnlyViewSet
from nhanluc.core.choices import Role
from nhanluc.indicators import services
from nhanluc.indicators.catalogue import BY_CODE, INDICATORS
from nhanluc.indicators.models import DataValue, IndicatorValue, Target
from nhanluc.indicators.periods import PeriodInvalid, parse_period
from nhanluc.indicators.querysets import AGGREGATE_READERS
from nhanluc.indicators.results import ProgressQuery

# Counts under this are withheld from agency clients (DESIGN §6: small cells identify people).
SMALL_CELL = 5

PERIOD = OpenApiParameter("period", str, description="2026, 2026-H1, 2026-Q2, 2026-M05, 2026-T05")
UNIT = OpenApiParameter("unit", str, description="mã tỉnh hoặc xã (mặc định: tỉnh)")
CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="mã chỉ tiêu, ví dụ employed")


def _period(request):
    try:
        return parse_period(request.query_params.get("period", ""))
    except PeriodInvalid as error:
        raise APIValidationError({"period": [str(error)]}) from None


def _readable(user) -> None:
    if not (user.is_superuser or user.role in AGGREGATE_READERS):
        raise PermissionDenied


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    definition = serializers.CharField()
    source = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    time = serializers.CharField()
    direction = serializers.CharField()
    breakdowns = serializers.SerializerMethodField()

    def get_breakdowns(self, indicator) -> list[str]:
        return indicator.breakdown_keys()[1:]


class ProgressSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    unit_code = serializers.CharField()
    period = serializers.CharField(source="period.code")
    breakdown = serializers.CharField()
    value = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    year_to_date = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    target = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    percent_of_plan = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    last_year = serializers.DecimalField(max_digits=20, decimal_places=4, allow_null=True)
    percent_of_same_period = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    change_in_points = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    estimate = serializers.DecimalField(
        source="estimate.value", max_digits=20, decimal_places=2, allow_null=True, default=None
    )
    estimate_method = serializers.CharField(source="estimate.method", allow_null=True, default=None)
    estimate_percent_of_plan = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    meets_plan = serializers.BooleanField(allow_null=True)


@extend_schema_view(retrieve=extend_schema(parameters=[CODE]))
class IndicatorViewSet(viewsets.ViewSet):
    """The catalogue; `progress` gives one indicator against its target in a unit and period."""

    lookup_field = "code"
    serializer_class = IndicatorSerializer

    def list(self, request):
        _readable(request.user)
        return Response(IndicatorSerializer(INDICATORS, many=True).data)

    def retrieve(self, request, code=None):
        _readable(request.user)
        if code not in BY_CODE:
            raise NotFound
        return Response(IndicatorSerializer(BY_CODE[code]).data)

    @extend_schema(parameters=[CODE, PERIOD, UNIT], responses=ProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request, code=None):
        _readable(request.user)
        if code not in BY_CODE:
            raise NotFound
        province = request.user.province_code or settings.NHANLUC_PROVINCE
        unit = request.query_params.get("unit") or province
        if request.user.role == Role.COMMUNE_OFFICER and unit not in (request.user.commune_code, province):
            raise PermissionDenied
        if request.user.role == Role.AGENCY and unit != province:
            # A commune's progress carries no numerators to check for small cells: agencies read the
            # communes through indicator-values, where small cells are withheld.
            raise PermissionDenied
        result = ProgressQuery(province, _period(request), unit, (code,)).run()[0]
        return Response(ProgressSerializer(result).data)


class IndicatorValueSerializer(serializers.ModelSerializer):
    value = serializers.SerializerMethodField()
    suppressed = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorValue
        fields = [
            "indicator_code",
            "breakdown",
            "unit_code",
            "period_code",
            "numerator",
            "denominator",
            "value",
            "suppressed",
            "computed_at",
        ]
        read_only_fields = fields

    def _small(self, row) -> bool:
        """A count, a rate's numerator or its denominator between 1 and 4 identifies people."""
        user = self.context["request"].user
        small = 0 < row.numerator < SMALL_CELL or (
            row.denominator is not None and 0 < row.denominator < SMALL_CELL
        )
        return user.role == Role.AGENCY and small

    def get_value(self, row) -> str | None:
        return None if self._small(row) else str(row.value)

    def get_suppressed(self, row) -> bool:
        return self._small(row)

    def to_representation(self, row):
        data = super().to_representation(row)
        if data["suppressed"]:
            data["numerator"] = data["denominator"] = None
        return data


class IndicatorValueViewSet(ScopedReadOnlyViewSet):
    """Computed figures of a period by unit and breakdown; computed on demand when the cache lacks them.
    Agency clients get counts under 5 withheld (`suppressed`)."""

    model = IndicatorValue
    serializer_class = IndicatorValueSerializer

    @extend_schema(
        parameters=[PERIOD, OpenApiParameter("indicator", str), UNIT, OpenApiParameter("breakdown", str)]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset
        period = _period(self.request)
        province = self.request.user.province_code or settings.NHANLUC_PROVINCE
        services.ensure_figures(province_code=province, period=period)
        queryset = queryset.for_period(period.code)
        for parameter, field in (
            ("indicator", "indicator_code"),
            ("unit", "unit_code"),
            ("breakdown", "breakdown"),
        ):
            if parameter in self.request.query_params:
                queryset = queryset.filter(**{field: self.request.query_params[parameter]})
        return queryset


# Read-only model serializers for the lists; plain ones for what a POST takes. Writable model fields
# would carry integer ranges that differ between PostgreSQL and SQLite, and the schema must not.
class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "indicator_code", "breakdown", "unit_code", "year", "value", "note", "set_at"]
        read_only_fields = fields


class TargetWriteSerializer(serializers.Serializer):
    indicator_code = serializers.CharField()
    unit_code = serializers.CharField()
    year = serializers.IntegerField()
    value = serializers.CharField(help_text="2,5 hoặc 2.5; 15.000 hoặc 15000")
    breakdown = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class DataValueSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataValue
        fields = [
            "id",
            "indicator_code",
            "breakdown",
            "unit_code",
            "period_code",
            "value",
            "status",
            "comment",
            "entered_at",
            "approved_at",
        ]
        read_only_fields = fields


class DataValueWriteSerializer(serializers.Serializer):
    indicator_code = serializers.CharField()
    unit_code = serializers.CharField()
    period_code = serializers.CharField()
    value = serializers.CharField()
    breakdown = serializers.CharField(required=False, allow_blank=True)
    comment = serializers.CharField(required=False, allow_blank=True)


def _service_errors(error: ValidationError):
    return APIValidationError(
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )


class TargetViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Targets; POST sets (or changes) one through the same rules as the page."""

    model = Target
    serializer_class = TargetSerializer

    @extend_schema(request=TargetWriteSerializer, responses={201: TargetSerializer})
    def create(self, request, *args, **kwargs):
        data = request.data
        try:
            target = services.set_target(
                indicator_code=str(data.get("indicator_code", "")),
                unit_code=str(data.get("unit_code", "")),
                year=int(data.get("year") or 0),
                value=data.get("value"),
                breakdown=str(data.get("breakdown", "")),
                note=str(data.get("note", "")),
                actor=request.user,
            )
        except ValidationError as error:
            raise _service_errors(error) from None
        return Response(TargetSerializer(target).data, status=status.HTTP_201_CREATED)


class DataValueViewSet(mixins.CreateModelMixin, ScopedReadOnlyViewSet):
    """Reported values; POST enters one (entered, to be approved on the page)."""

    model = DataValue
    serializer_class = DataValueSerializer

    @extend_schema(request=DataValueWriteSerializer, responses={201: DataValueSerializer})
    def create(self, request, *args, **kwargs):
        data = request.data
        try:
            value = services.save_data_value(
                indicator_code=str(data.get("indicator_code", "")),
                unit_code=str(data.get("unit_code", "")),
                period_code=str(data.get("period_code", "")),
                value=data.get("value"),
                breakdown=str(data.get("breakdown", "")),
                comment=str(data.get("comment", "")),
                actor=request.user,
                source="api",
            )
        except ValidationError as error:
            raise _service_errors(error) from None
        return Response(DataValueSerializer(value).data, status=status.HTTP_201_CREATED)
