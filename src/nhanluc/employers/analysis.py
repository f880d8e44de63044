"""Demand figures: recruitment needs by occupation, qualification, commune and industry; employers'
out-of-province workers; and, for a vacancy, the registered supply it could draw on.

Counts only: no personal record leaves these functions, so the pages that show them are not logged.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from nhanluc.catalogs.choices import VSCO_VERSION, VSIC_VERSION, ActivityStatus, Qualification
from nhanluc.catalogs.models import Industry, Occupation
from nhanluc.employers.choices import ReportStatus
from nhanluc.employers.filters import filter_vacancies
from nhanluc.employers.forms import province_communes
from nhanluc.employers.models import Employer, Vacancy, WorkforceReport
from nhanluc.registry.models import LaborSituation
from nhanluc.registry.querysets import REGISTER_READERS

TOP = 15


@dataclass
class Share:
    code: str
    label: str
    positions: int
    vacancies: int


def _occupation_names(level: int) -> dict[str, str]:
    return dict(Occupation.objects.filter(version=VSCO_VERSION, level=level).values_list("code", "name"))


def _shares(rows, names: dict[str, str], unknown: str) -> list[Share]:
    return [
        Share(code or "", names.get(code, code) if code else unknown, row_positions or 0, row_count)
        for code, row_positions, row_count in rows
    ]


def demand_summary(user, *, today: datetime.date) -> dict:
    """Open vacancies (published, deadline ahead) the user may see, broken down several ways."""
    open_vacancies = filter_vacancies(Vacancy.objects.visible_to(user), {"status": "open"}, today=today)
    totals = open_vacancies.aggregate(
        positions=Sum("quantity"), vacancies=Count("id"), female=Sum("female_quantity")
    )
    uncoded = _("Chưa xác định mã nghề")

    def grouped(expression_name: str, queryset=open_vacancies, limit: int | None = None):
        rows = (
            queryset.values_list(expression_name)
            .annotate(positions=Sum("quantity"), count=Count("id"))
            .order_by("-positions", expression_name)
        )
        return list(rows[:limit] if limit else rows)

    by_group = grouped("group", open_vacancies.annotate(group=Substr("occupation_code", 1, 1)))
    by_occupation = grouped("occupation_code", open_vacancies.exclude(occupation_code=""), TOP)
    qualification_names = dict(Qualification.choices)
    by_qualification = grouped("qualification")
    communes = dict(province_communes())
    by_commune = grouped("commune_code", open_vacancies.exclude(commune_code=""), TOP)
    by_division = grouped(
        "section",
        open_vacancies.filter(employer__isnull=False).annotate(
            section=Substr("employer__main_industry_code", 1, 2)
        ),
    )
    divisions = _industry_divisions()
    return {
        "totals": totals,
        "by_group": _shares(by_group, _occupation_names(1), uncoded),
        "by_occupation": _shares(by_occupation, _occupation_names(4), uncoded),
        "by_qualification": _shares(
            by_qualification, {k: str(v) for k, v in qualification_names.items()}, _("Không yêu cầu")
        ),
        "by_commune": _shares(by_commune, communes, ""),
        "by_industry": _shares(by_division, divisions, _("Chưa rõ ngành")),
        "out_of_province": out_of_province_shares(user),
    }


def _industry_divisions() -> dict[str, str]:
    """VSIC level-2 divisions, named after their first level-4 class (the catalogue holds levels 1, 4 and 5)."""
    names = {}
    for code, name in Industry.objects.filter(version=VSIC_VERSION, level="4").values_list("code", "name"):
        names.setdefault(code[:2], name)
    return names


@dataclass
class OutOfProvince:
    employer: Employer
    headcount: int
    out_of_province: int
    derived: bool

    @property
    def share(self) -> float:
        """Per cent, as the `percent` filter prints it."""
        return 100 * self.out_of_province / self.headcount if self.headcount else 0.0


def out_of_province_shares(user, limit: int = TOP) -> dict:
    """Each employer's latest filed report: workers from other provinces (declared, else derived)."""
    reports = (
        WorkforceReport.objects.visible_to(user)
        .filter(status=ReportStatus.FILED)
        .select_related("employer")
        .order_by("employer_id", "-year", "-period")
    )
    latest: dict[int, WorkforceReport] = {}
    for report in reports:
        latest.setdefault(report.employer_id, report)
    rows = []
    for report in latest.values():
        declared = report.out_of_province is not None
        count = report.out_of_province if declared else (report.out_of_province_derived or 0)
        rows.append(OutOfProvince(report.employer, report.headcount, count, not declared))
    rows.sort(key=lambda row: (-row.out_of_province, row.employer.name))
    headcount = sum(row.headcount for row in rows)
    out = sum(row.out_of_province for row in rows)
    return {"rows": rows[:limit], "headcount": headcount, "out_of_province": out, "employers": len(rows)}


def supply_for_vacancy(vacancy: Vacancy, *, user) -> dict:
    """How many registered people of the province could fill the vacancy: unemployed now, having worked
    in its occupation before; and, for scale, the unemployed with its qualification and those employed in it."""
    if not (user.is_superuser or user.role in REGISTER_READERS):
        return {}
    province = vacancy.province_code or user.province_code
    current = LaborSituation.objects.filter(province_code=province, valid_to__isnull=True)
    unemployed = current.filter(activity_status=ActivityStatus.UNEMPLOYED)
    result = {"unemployed": unemployed.count()}
    if vacancy.occupation_code:
        earlier_in_occupation = LaborSituation.objects.filter(
            valid_to__isnull=False, occupation_code=vacancy.occupation_code
        ).values("person_id")
        result["unemployed_in_occupation"] = unemployed.filter(person_id__in=earlier_in_occupation).count()
        result["employed_in_occupation"] = current.filter(
            activity_status=ActivityStatus.EMPLOYED, occupation_code=vacancy.occupation_code
        ).count()
    if vacancy.qualification:
        result["unemployed_with_qualification"] = unemployed.filter(
            Q(qualification__gte=vacancy.qualification)
        ).count()
    return result
