"""Filters of the audit and access-log pages, shared by the web views and the API."""

from django.db.models import QuerySet


def filter_log(queryset: QuerySet, data: dict) -> QuerySet:
    """Apply the cleaned filter form of the audit or access-log page."""
    if data.get("action"):
        queryset = queryset.filter(action=data["action"])
    if data.get("kind"):
        queryset = queryset.filter(kind=data["kind"])
    if data.get("object_type"):
        queryset = queryset.filter(object_type__icontains=data["object_type"])
    if data.get("actor"):
        queryset = queryset.filter(actor__username__icontains=data["actor"])
    if data.get("since"):
        queryset = queryset.filter(at__date__gte=data["since"])
    if data.get("until"):
        queryset = queryset.filter(at__date__lte=data["until"])
    return queryset
