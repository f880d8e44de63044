"""Filters of the register list, shared by the page, its exports and the API."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from nhanluc.registry.choices import AgeBand
from nhanluc.registry.models import LaborSituation

# Participation in social insurance: either kind counts.
INSURED = ("1", "2")


def age_band_birth_range(band: str, day: datetime.date) -> tuple[datetime.date | None, datetime.date]:
    """Birth dates of the people whose age on `day` falls in the band (oldest, youngest)."""
    low, _dash, high = band.rstrip("+").partition("-")
    youngest = _years_before(day, int(low))
    oldest = _years_before(day, int(high) + 1) + datetime.timedelta(days=1) if high else None
    return oldest, youngest


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def situation_filter(data: dict) -> Q:
    """Conditions on the labour situation that the filter form asks for (empty when none)."""
    condition = Q()
    if data.get("status"):
        condition &= Q(activity_status=data["status"])
    if data.get("qualification"):
        condition &= Q(qualification=data["qualification"])
    if data.get("social_insurance") == "yes":
        condition &= Q(social_insurance_type__in=INSURED)
    elif data.get("social_insurance") == "no":
        condition &= ~Q(social_insurance_type__in=INSURED)
    if data.get("unemployment_insurance") == "yes":
        condition &= Q(unemployment_insurance=True)
    elif data.get("unemployment_insurance") == "no":
        condition &= Q(unemployment_insurance=False)
    if data.get("workplace_location"):
        condition &= Q(workplace_location=data["workplace_location"])
    return condition


def filter_people(queryset: QuerySet, data: dict) -> QuerySet:
    """Apply the cleaned filter form to a (scoped) Person queryset."""
    day = data.get("as_of") or timezone.localdate()
    if not data.get("include_left"):
        queryset = queryset.filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
    if data.get("commune"):
        queryset = queryset.in_commune(data["commune"])
    if data.get("q"):
        queryset = queryset.search(data["q"])
    if data.get("sex"):
        queryset = queryset.filter(sex=data["sex"])
    if data.get("age_band") in AgeBand.values:
        queryset = queryset.born_between(*age_band_birth_range(data["age_band"], day))
    if data.get("priority_group"):
        queryset = queryset.filter(priority_groups__contains=data["priority_group"])
    condition = situation_filter(data)
    if condition:
        situations = LaborSituation.objects.as_of(day).filter(condition)
        if data.get("commune"):
            situations = situations.in_commune(data["commune"])
        queryset = queryset.filter(pk__in=situations.values("person_id"))
    return queryset


def situations_on(person_ids: list[int], day: datetime.date) -> dict[int, LaborSituation]:
    """The situation of each listed person on `day`, in one query."""
    rows = LaborSituation.objects.as_of(day).filter(person_id__in=person_ids)
    return {situation.person_id: situation for situation in rows}
