"""The register through the API: the same scoping, filters, masking, rules and access log as the pages."""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.response import Response

from nhanluc.core.api import ScopedReadOnlyViewSet
from nhanluc.core.choices import AccessKind
from nhanluc.core.services import log_access
from nhanluc.registry import services
from nhanluc.registry.exports import present
from nhanluc.registry.fields import FIELDS
from nhanluc.registry.filters import filter_people, situations_on
from nhanluc.registry.forms import PersonFilterForm
from nhanluc.registry.models import LaborSituation, Person


class PersonSerializer(serializers.Serializer):
    """A person and their situation on the requested day, masked as the caller's role requires."""

    id = serializers.IntegerField()
    cccd = serializers.CharField()
    full_name = serializers.CharField()
    birth_date = serializers.DateField()
    sex = serializers.CharField()
    ethnicity = serializers.CharField()
    phone = serializers.CharField()
    bhxh_number = serializers.CharField()
    priority_groups = serializers.CharField()
    commune_code = serializers.CharField()
    hamlet = serializers.CharField()
    left_on = serializers.DateField(allow_null=True)
    activity_status = serializers.CharField()
    activity_status_code = serializers.CharField()
    qualification = serializers.CharField()
    occupation_code = serializers.CharField()
    job_title = serializers.CharField()
    social_insurance = serializers.CharField()
    unemployment_insurance = serializers.BooleanField(allow_null=True)
    workplace_location = serializers.CharField()
    valid_from = serializers.DateField(allow_null=True)


class SituationSerializer(serializers.ModelSerializer):
    class Meta:
        model = LaborSituation
        exclude = ["person", "batch"]


class PersonWriteSerializer(serializers.Serializer):
    """A record as text values, field for field as the flat template; the register's rules check it."""

    valid_from = serializers.DateField()

    def get_fields(self):
        fields = super().get_fields()
        # An update keeps the person's CCCD; a new record needs one.
        required = {"full_name", "birth_date", "activity_status"} | (
            set() if self.context.get("update") else {"cccd"}
        )
        for spec in FIELDS:
            fields[spec.key] = serializers.CharField(
                required=spec.key in required,
                allow_blank=True,
                max_length=spec.max_length,
            )
        return fields


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="name without diacritics, or a 9/12-digit CCCD (exact)"),
    OpenApiParameter("commune", str),
    OpenApiParameter("as_of", datetime.date, description="situation on this day (default today)"),
    OpenApiParameter("status", str, description="1 employed, 2 unemployed, 3 inactive"),
    OpenApiParameter("sex", str),
    OpenApiParameter("age_band", str, description="15-24, 25-34, 35-44, 45-54, 55-64, 65+"),
    OpenApiParameter("qualification", str),
    OpenApiParameter("social_insurance", str, description="yes | no"),
    OpenApiParameter("unemployment_insurance", str, description="yes | no"),
    OpenApiParameter("workplace_location", str, description="1 province, 2 other province, 3 abroad"),
    OpenApiParameter("priority_group", str),
    OpenApiParameter("include_left", bool),
]


class PersonViewSet(ScopedReadOnlyViewSet):
    """The labour supply register. Every response is written to the personal-data access log."""

    model = Person
    serializer_class = PersonSerializer

    def _filters(self) -> dict:
        form = PersonFilterForm(self.request.query_params, user=self.request.user)
        if not form.is_valid():
            raise APIValidationError(form.errors)
        return form.cleaned_data

    def _log(self, ids, purpose):
        log_access(
            actor=self.request.user,
            kind=AccessKind.VIEW,
            purpose=purpose,
            object_type="registry.person",
            object_ids=ids,
            query={key: value for key, value in self.request.query_params.items()},
            client_address=self.request.META.get("REMOTE_ADDR"),
        )

    @extend_schema(parameters=FILTER_PARAMETERS)
    def list(self, request, *args, **kwargs):
        filters = self._filters()
        day = filters.get("as_of") or timezone.localdate()
        queryset = filter_people(self.get_queryset(), filters)
        page = self.paginate_queryset(queryset)
        situations = situations_on([person.pk for person in page], day)
        rows = [present(person, situations.get(person.pk), request.user) for person in page]
        self._log([row["id"] for row in rows], "API: danh sách sổ đăng ký lao động")
        return self.get_paginated_response(PersonSerializer(rows, many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("as_of", datetime.date)],
        responses=PersonSerializer,
    )
    def retrieve(self, request, *args, **kwargs):
        person = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        day = self._filters().get("as_of") or timezone.localdate()
        situation = situations_on([person.pk], day).get(person.pk)
        self._log([person.pk], "API: hồ sơ người lao động")
        data = dict(PersonSerializer(present(person, situation, request.user)).data)
        timeline = person.situations.order_by("-valid_from")
        data["timeline"] = SituationSerializer(timeline, many=True).data
        return Response(data)

    def _checked_write(self, request, *, update=False):
        if not services.can_edit_register(request.user):
            raise PermissionDenied
        incoming = PersonWriteSerializer(data=request.data, context={"update": update})
        incoming.is_valid(raise_exception=True)
        values = dict(incoming.validated_data)
        return values.pop("valid_from"), values

    @extend_schema(request=PersonWriteSerializer, responses={201: PersonSerializer})
    def create(self, request):
        """Register a person (biến động tăng) with the same rules as the survey import."""
        valid_from, values = self._checked_write(request)
        try:
            person = services.register_person(
                data=values, actor=request.user, valid_from=valid_from, via="api"
            )
        except services.RecordInvalid as invalid:
            raise APIValidationError(invalid.problems) from None
        except PermissionError as refused:
            raise PermissionDenied(str(refused)) from None
        situation = situations_on([person.pk], valid_from).get(person.pk)
        return Response(
            PersonSerializer(present(person, situation, request.user)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=PersonWriteSerializer, responses=PersonSerializer)
    def update(self, request, pk=None):
        """Replace a person's record from `valid_from` (biến động cập nhật); the CCCD cannot change."""
        person = get_object_or_404(self.get_queryset(), pk=pk)
        valid_from, values = self._checked_write(request, update=True)
        try:
            services.update_person(
                person=person, data=values, actor=request.user, valid_from=valid_from, via="api"
            )
        except services.RecordInvalid as invalid:
            raise APIValidationError(invalid.problems) from None
        except PermissionError as refused:
            raise PermissionDenied(str(refused)) from None
        person.refresh_from_db()
        situation = situations_on([person.pk], valid_from).get(person.pk)
        return Response(PersonSerializer(present(person, situation, request.user)).data)
