"""Filters of the vacancy list, shared by the page, the API and the benchmark."""

import datetime

from django.db.models import Q, QuerySet

from nhanluc.core.text import fold
from nhanluc.employers.choices import VacancyStatus


def filter_vacancies(vacancies: QuerySet, data: dict, *, today: datetime.date) -> QuerySet:
    """`data` as the filter form cleans it: text, status ("open" = published and not past its deadline),
    occupation group (VSCO level 1, one digit) or code, qualification, commune, province, minimum wage."""
    text = fold(data.get("q") or "")
    if text:
        vacancies = vacancies.filter(search_text__contains=text)
    status = data.get("status")
    # The stored status is as it was last written; past the deadline a published vacancy has expired.
    if status in ("open", VacancyStatus.PUBLISHED):
        vacancies = vacancies.filter(status=VacancyStatus.PUBLISHED).filter(
            Q(deadline__isnull=True) | Q(deadline__gte=today)
        )
    elif status == VacancyStatus.EXPIRED:
        vacancies = vacancies.filter(
            Q(status=VacancyStatus.EXPIRED) | Q(status=VacancyStatus.PUBLISHED, deadline__lt=today)
        )
    elif status:
        vacancies = vacancies.filter(status=status)
    occupation = data.get("occupation") or ""
    if occupation:
        vacancies = vacancies.filter(occupation_code__startswith=occupation)
    for name in ("qualification", "commune_code", "province_code", "source"):
        if data.get(name):
            vacancies = vacancies.filter(**{name: data[name]})
    if data.get("wage_at_least"):
        # A posting whose range reaches the wage asked for, or that states only a floor above it.
        wage = data["wage_at_least"]
        vacancies = vacancies.filter(Q(wage_max__gte=wage) | Q(wage_max__isnull=True, wage_min__gte=wage))
    return vacancies
