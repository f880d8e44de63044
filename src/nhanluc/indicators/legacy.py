"""Computed figures recast to the units before 01/07/2025 (legacy districts or provinces).

Current communes were formed from legacy communes (geo.UnitSuccession). A legacy district's (or
province's) figure is the sum of the current communes formed from its communes. A current commune
formed across its border — from communes of two districts — belongs only in part: it is counted
whole in each and named, because the register holds no finer detail to divide its people. Such a
figure is flagged partial; the named communes say how far it stretches. (A legacy commune split among
several current communes of the same district does not make the district's figure partial.)
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from nhanluc.geo.choices import Level
from nhanluc.geo.models import UnitSuccession
from nhanluc.indicators.catalogue import Indicator
from nhanluc.indicators.measures import figure_value
from nhanluc.indicators.models import IndicatorValue
from nhanluc.indicators.periods import Period
from nhanluc.indicators.services import ensure_figures


@dataclass
class LegacyFigure:
    code: str
    name: str
    numerator: int = 0
    denominator: int | None = None
    communes: list[str] = field(default_factory=list)
    partial_communes: list[str] = field(default_factory=list)  # names of communes only partly from it

    @property
    def partial(self) -> bool:
        return bool(self.partial_communes)

    @property
    def value(self) -> Decimal:
        return figure_value(self.numerator, self.denominator)


def legacy_figures(
    *,
    province_code: str,
    period: Period,
    indicator: Indicator,
    level: str = Level.DISTRICT,
    breakdown: str = "",
) -> list[LegacyFigure]:
    ensure_figures(province_code=province_code, period=period)
    rows = {
        unit: (numerator, denominator)
        for unit, numerator, denominator in IndicatorValue.objects.filter(
            province_code=province_code,
            period_code=period.code,
            indicator_code=indicator.code,
            breakdown=breakdown,
        )
        .exclude(unit_code=province_code)
        .values_list("unit_code", "numerator", "denominator")
    }
    links = UnitSuccession.objects.filter(
        new__province_code=province_code, new__level=Level.COMMUNE, old__level=Level.COMMUNE
    ).values_list(
        "new__code",
        "new__name",
        "old__parent__code",
        "old__parent__name",
        "old__parent__parent__code",
        "old__parent__parent__name",
    )
    # For each current commune: the legacy units its predecessors lay in.
    origins: dict[str, dict] = {}
    for new_code, new_name, district, district_name, old_province, old_province_name in links:
        unit, name = (
            (district, district_name) if level == Level.DISTRICT else (old_province, old_province_name)
        )
        entry = origins.setdefault(new_code, {"name": new_name, "units": {}})
        entry["units"][unit] = name
    figures: dict[str, LegacyFigure] = {}
    for new_code, entry in origins.items():
        numerator, denominator = rows.get(new_code, (0, None))
        whole = len(entry["units"]) == 1
        for unit, name in entry["units"].items():
            figure = figures.setdefault(unit, LegacyFigure(unit, name))
            figure.numerator += numerator
            if denominator is not None:
                figure.denominator = (figure.denominator or 0) + denominator
            figure.communes.append(entry["name"])
            if not whole:
                figure.partial_communes.append(entry["name"])
    unplaced = LegacyFigure("", _("Xã, phường không có trong bảng chuyển đổi"))
    for unit, (numerator, denominator) in rows.items():
        if unit not in origins:
            unplaced.numerator += numerator
            if denominator is not None:
                unplaced.denominator = (unplaced.denominator or 0) + denominator
            unplaced.communes.append(unit)
    ordered = sorted(figures.values(), key=lambda figure: figure.name)
    return [*ordered, unplaced] if unplaced.communes else ordered
