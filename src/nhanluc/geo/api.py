from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from nhanluc.core.api import ScopedReadOnlyViewSet
from nhanluc.geo.models import AdminUnit
from nhanluc.geo.services import UnknownLegacyCommune, convert_legacy_commune


class AdminUnitSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = AdminUnit
        fields = [
            "scheme",
            "code",
            "level",
            "division_type",
            "name",
            "province_code",
            "parent_code",
            "valid_from",
            "valid_to",
        ]


class LegacyConversionSerializer(serializers.Serializer):
    legacy_code = serializers.CharField()
    commune = AdminUnitSerializer(allow_null=True)
    candidates = AdminUnitSerializer(many=True)
    partial = serializers.BooleanField()
    needs_review = serializers.BooleanField()


class AdminUnitViewSet(ScopedReadOnlyViewSet):
    """Administrative units of both schemes. Filter with `scheme`, `level`, `province_code`, `q`."""

    model = AdminUnit
    serializer_class = AdminUnitSerializer
    lookup_field = "code"

    def get_queryset(self):
        queryset = super().get_queryset().select_related("parent")
        params = self.request.query_params
        for name in ("scheme", "level", "province_code"):
            if params.get(name):
                queryset = queryset.filter(**{name: params[name]})
        if params.get("q"):
            queryset = queryset.search(params["q"])
        return queryset

    def get_object(self):
        scheme = self.request.query_params.get("scheme", "2025")
        return get_object_or_404(self.get_queryset().filter(scheme=scheme), code=self.kwargs["code"])

    @extend_schema(
        parameters=[
            OpenApiParameter("scheme", str, description="2025 (default) or legacy"),
            OpenApiParameter("level", str),
            OpenApiParameter("province_code", str),
            OpenApiParameter("q", str, description="diacritics-insensitive name search"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=LegacyConversionSerializer)
    @action(detail=True, methods=["get"], url_path="convert")
    def convert(self, request, code=None):
        """Where a legacy commune went on 01/07/2025; `needs_review` when it was split."""
        try:
            conversion = convert_legacy_commune(code)
        except UnknownLegacyCommune as error:
            raise NotFound(str(error)) from None
        return Response(
            LegacyConversionSerializer(
                {
                    "legacy_code": conversion.legacy_code,
                    "commune": conversion.commune,
                    "candidates": conversion.candidates,
                    "partial": conversion.partial,
                    "needs_review": conversion.needs_review,
                }
            ).data
        )
