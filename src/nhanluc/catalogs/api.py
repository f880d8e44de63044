from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from nhanluc.catalogs.choices import TRAINING_FIELD_VERSION, VSCO_VERSION, VSIC_VERSION, OccupationLevel
from nhanluc.catalogs.models import Industry, Occupation, TrainingField
from nhanluc.catalogs.suggest import suggest_occupation
from nhanluc.core.api import ScopedReadOnlyViewSet


class OccupationSerializer(serializers.ModelSerializer):
    # Declared, so the schema does not carry the backend's integer range (it differs on PostgreSQL).
    level = serializers.ChoiceField(choices=OccupationLevel.choices, read_only=True)
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)
    titles = serializers.SlugRelatedField(many=True, read_only=True, slug_field="title")

    class Meta:
        model = Occupation
        fields = ["version", "code", "level", "name", "parent_code", "titles"]


class IndustrySerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Industry
        fields = ["version", "code", "level", "name", "parent_code", "keywords"]


class TrainingFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = TrainingField
        fields = ["version", "code", "name"]


class SuggestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField()
    matched_title = serializers.CharField()


class CatalogViewSet(ScopedReadOnlyViewSet):
    """Codes are unique within a classification version: `?version=` picks one, the current by default."""

    lookup_field = "code"
    current_version = ""

    def get_queryset(self):
        version = self.request.query_params.get("version", self.current_version)
        queryset = super().get_queryset().filter(version=version)
        if self.request.query_params.get("q"):
            queryset = queryset.search(self.request.query_params["q"])
        return queryset


class OccupationViewSet(CatalogViewSet):
    """VSCO 2020 occupations (level 1 and level 4) with their official job titles."""

    model = Occupation
    serializer_class = OccupationSerializer
    current_version = VSCO_VERSION

    def get_queryset(self):
        return super().get_queryset().select_related("parent").prefetch_related("titles")

    @extend_schema(
        parameters=[OpenApiParameter("text", str, required=True, description="free-text job title")],
        responses=SuggestionSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def suggest(self, request):
        """Rank VSCO level-4 codes for a free-text job title."""
        suggestions = suggest_occupation(request.query_params.get("text", ""), limit=10)
        return Response(SuggestionSerializer(suggestions, many=True).data)


class IndustryViewSet(CatalogViewSet):
    """VSIC 2018 industries: sections, level 4 and level 5."""

    model = Industry
    serializer_class = IndustrySerializer
    current_version = VSIC_VERSION

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class TrainingFieldViewSet(CatalogViewSet):
    model = TrainingField
    serializer_class = TrainingFieldSerializer
    current_version = TRAINING_FIELD_VERSION
