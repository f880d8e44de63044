"""Keyset pagination: pages cost the same at row 50 and at row 5 000 000 (no OFFSET)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from rest_framework.pagination import CursorPagination


@dataclass
class KeysetPage:
    rows: list
    next_after: str | None
    size: int


def keyset_page(
    queryset: QuerySet, *, after: str | None, size: int = 50, descending: bool = True
) -> KeysetPage:
    """One page of `queryset` ordered by primary key, starting after the key `after`."""
    if after:
        try:
            key = int(after)
        except ValueError:
            key = None
        if key is not None:
            queryset = queryset.filter(pk__lt=key) if descending else queryset.filter(pk__gt=key)
    queryset = queryset.order_by("-pk" if descending else "pk")
    rows = list(queryset[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows=rows, next_after=str(rows[-1].pk) if has_more else None, size=size)


class KeysetPagination(CursorPagination):
    """API lists page by primary key (no OFFSET), whatever the model's timestamps."""

    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
