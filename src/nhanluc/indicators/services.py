"""Every write of the indicators domain, and the cache of computed figures.

Targets and reported values are validated here, once, for the forms, the import, the API and the
command line; each write leaves an audit row. Computed figures are cached per (indicator, unit,
period): `refresh_figures` recomputes them, and `ensure_figures` recomputes only the units whose
register or demand data changed (as noted in `core.DataChange`) since they were computed.
"""

import datetime
import zlib
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal, InvalidOperation

import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nhanluc.core.bulk import insert_frame
from nhanluc.core.choices import AuditAction, Role
from nhanluc.core.models import DataChange
from nhanluc.core.progress import Progress
from nhanluc.core.services import record_event
from nhanluc.geo.models import AdminUnit
from nhanluc.indicators.catalogue import BY_CODE, Indicator
from nhanluc.indicators.choices import DataValueStatus
from nhanluc.indicators.measures import figure_value
from nhanluc.indicators.models import DataValue, IndicatorValue, Target
from nhanluc.indicators.periods import Period, PeriodInvalid, parse_period
from nhanluc.indicators.querysets import PLANNERS
from nhanluc.indicators.register import (
    DEMAND_CODES,
    FIGURE_SCHEMA,
    REGISTER_CODES,
    DemandFigures,
    SupplyCube,
    figures_frame,
    household_figures,
    province_communes,
    report_period_for,
    supply_figures,
)

HUNDRED = Decimal(100)
# The figure whose row marks a commune's register figures as cached for a period.
SENTINEL = "population_15"


# ---------------------------------------------------------------- the cache of computed figures


def _store(figures: pl.DataFrame, *, province_code: str, period: Period, at: datetime.datetime) -> int:
    """Write figures (register.FIGURE_SCHEMA) in one bulk insert (COPY on PostgreSQL): ten thousand rows."""
    values = [
        str(figure_value(numerator, denominator))
        for numerator, denominator in zip(figures["numerator"], figures["denominator"], strict=True)
    ]
    stamp = str(connection.ops.adapt_datetimefield_value(at))
    return insert_frame(
        IndicatorValue,
        figures.with_columns(
            pl.Series("value", values, dtype=pl.Utf8),
            pl.lit(province_code).alias("province_code"),
            pl.lit(period.code).alias("period_code"),
            pl.lit(stamp).alias("computed_at"),
        ),
    )


def _province_totals(
    fresh: pl.DataFrame, stored: list[tuple[str, str, int | None, int | None]], province_code: str
) -> pl.DataFrame:
    """The province's register figures: the sums of the fresh figures of the communes just computed
    and the `stored` sums (indicator, breakdown, numerator, denominator) of the others."""
    sums = pl.concat(
        [
            fresh.filter(pl.col("indicator_code").is_in(REGISTER_CODES)).select(
                "indicator_code", "breakdown", "numerator", "denominator"
            ),
            pl.DataFrame(
                stored,
                schema={
                    name: FIGURE_SCHEMA[name]
                    for name in ("indicator_code", "breakdown", "numerator", "denominator")
                },
                orient="row",
            ),
        ]
    )
    return (
        sums.group_by("indicator_code", "breakdown")
        # A sum of nulls is null: a count stays without a denominator.
        .agg(
            pl.col("numerator").sum(),
            pl.when(pl.col("denominator").is_null().all())
            .then(None)
            .otherwise(pl.col("denominator").sum())
            .alias("denominator"),
        )
        .with_columns(pl.lit(province_code).alias("unit_code"))
        .select(pl.col(name).cast(dtype) for name, dtype in FIGURE_SCHEMA.items())
    )


def _in_own_connection(work, /, *args):
    """Run `work` in a worker thread: Django gives the thread a connection of its own, closed here."""
    try:
        return work(*args)
    finally:
        connection.close()


def refresh_figures(
    *, province_code: str, period: Period, communes: list[str] | None = None, progress: Progress | None = None
) -> int:
    """Recompute the computed figures of a period (all communes, or those named) and the province's.

    Returns the number of figures stored. The province's register figures are the sums of its
    communes' numerators and denominators, so they always agree with the commune breakdown.
    """
    progress = progress or Progress()
    progress.start(4, _("Tính chỉ tiêu"))
    started = timezone.now()
    every_commune = province_communes(province_code)
    wanted = every_commune if communes is None else [code for code in communes if code in set(every_commune)]
    only = None if communes is None else tuple(wanted)
    day = period.stock_date
    people = SupplyCube(province_code, day, only)
    with ThreadPoolExecutor(max_workers=2) as pool:
        if connection.in_atomic_block:
            # Other connections would not see what this transaction wrote.
            groups = people.groups()
            counting = None
        elif connection.vendor == "postgresql":
            # The people are counted in two connections of their own at once, each for half the
            # communes; then the poor households in another while this one stores the people's
            # figures. Both cores work until the end (docs/indicators.md §13).
            parts = [pool.submit(_in_own_connection, part.groups) for part in people.parts(2)]
            groups = pl.concat([part.result() for part in parts])
            counting = pool.submit(_in_own_connection, household_figures, province_code, day, only)
        else:
            # SQLite: the households in a second connection while this one, whose cache of pages
            # stays warm from one refresh to the next, counts the people. Two connections counting
            # people at once wait on SQLite's shared memory lock and gain nothing.
            counting = pool.submit(_in_own_connection, household_figures, province_code, day, only)
            groups = people.groups()
        progress.advance(2)
        cube = people.frame(groups)
        current = IndicatorValue.objects.filter(province_code=province_code, period_code=period.code)
        others = [code for code in every_commune if code not in set(wanted)]
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # Two pages refreshing the same period at once: the second waits for the first to
                # commit, then deletes its rows and writes its own, instead of colliding on the unique key.
                lock = zlib.crc32(f"indicators:{province_code}:{period.code}".encode())
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
            current.filter(indicator_code__in=REGISTER_CODES, unit_code__in=[*wanted, province_code]).delete()
            current.filter(indicator_code__in=DEMAND_CODES).delete()
            stored = []
            if others:
                stored = list(
                    current.filter(indicator_code__in=REGISTER_CODES, unit_code__in=others)
                    .values_list("indicator_code", "breakdown")
                    .annotate(numerator=Sum("numerator"), denominator=Sum("denominator"))
                    .order_by()
                )
            supply = supply_figures(cube, wanted)
            progress.advance()
            count = _store(supply, province_code=province_code, period=period, at=started)
            demand = DemandFigures(
                province_code, period.end, report_period_for(period.last_month, period.year)
            ).run()
            households = counting.result() if counting else household_figures(province_code, day, only)
            rest = figures_frame(households + demand)
            totals = _province_totals(pl.concat([supply, rest]), stored, province_code)
            count += _store(pl.concat([rest, totals]), province_code=province_code, period=period, at=started)
    progress.advance()
    progress.close()
    return count


def _changes(province_code: str, domain: str) -> dict[str, datetime.datetime]:
    return dict(
        DataChange.objects.filter(domain=domain, province_code=province_code).values_list(
            "unit_code", "changed_at"
        )
    )


def ensure_figures(*, province_code: str, period: Period) -> int:
    """Compute what the cache lacks or what changed since it was computed; nothing when all is current.

    The registers note each write (`core.services.note_data_change`); a commune whose register
    changed after its figures were computed is computed again, with the province's totals.
    """
    cached = IndicatorValue.objects.filter(province_code=province_code, period_code=period.code, breakdown="")
    computed = dict(cached.filter(indicator_code=SENTINEL).values_list("unit_code", "computed_at"))
    register = _changes(province_code, "register")
    anywhere = register.get("")
    communes = province_communes(province_code)

    def stale(unit: str) -> bool:
        at = computed.get(unit)
        return (
            at is None
            or (anywhere is not None and anywhere > at)
            or (unit in register and register[unit] > at)
        )

    outdated = [code for code in communes if stale(code)]
    demand_at = (
        cached.filter(indicator_code="open_vacancies", unit_code=province_code)
        .values_list("computed_at", flat=True)
        .first()
    )
    demand_changed = _changes(province_code, "demand").get("")
    demand_stale = demand_at is None or (demand_changed is not None and demand_changed > demand_at)
    if not outdated and not stale(province_code) and not demand_stale:
        return 0
    if len(outdated) == len(communes):
        return refresh_figures(province_code=province_code, period=period)
    return refresh_figures(province_code=province_code, period=period, communes=outdated)


# ---------------------------------------------------------------- units, periods, values


def _check_unit(unit_code: str, errors: dict) -> str | None:
    """The unit's province when it is the deployment's province or one of its communes."""
    province = settings.NHANLUC_PROVINCE
    unit_code = (unit_code or "").strip()
    known = unit_code == province or (
        len(unit_code) == 5
        and AdminUnit.objects.current()
        .filter(level="commune", code=unit_code, province_code=province)
        .exists()
    )
    if not known:
        errors.setdefault("unit_code", []).append(
            _("Đơn vị “%(unit)s” không phải tỉnh hoặc xã, phường của tỉnh (mã theo danh mục từ 01/7/2025)")
            % {"unit": unit_code}
        )
        return None
    return province


def _check_indicator(code: str, errors: dict) -> Indicator | None:
    indicator = BY_CODE.get((code or "").strip())
    if indicator is None:
        errors.setdefault("indicator_code", []).append(
            _("Chỉ tiêu “%(code)s” không có trong danh mục chỉ tiêu") % {"code": code}
        )
    return indicator


def _check_breakdown(indicator: Indicator | None, breakdown: str, errors: dict) -> None:
    if indicator is not None and breakdown not in indicator.breakdown_keys():
        errors.setdefault("breakdown", []).append(
            _("Chỉ tiêu “%(name)s” không có phân tổ “%(breakdown)s”")
            % {"name": indicator.name, "breakdown": breakdown}
        )


def _check_amount(indicator: Indicator | None, value, errors: dict, field: str = "value") -> Decimal | None:
    try:
        amount = Decimal(str(value).strip().replace(" ", "")) if value not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        errors.setdefault(field, []).append(_("Giá trị “%(value)s” không phải là số") % {"value": value})
        return None
    if amount < 0:
        errors.setdefault(field, []).append(_("Giá trị không được âm"))
    elif indicator is not None and indicator.is_rate and amount > HUNDRED:
        errors.setdefault(field, []).append(_("Tỷ lệ không được lớn hơn 100%"))
    if amount.as_tuple().exponent < -2:
        errors.setdefault(field, []).append(_("Giá trị chỉ có tối đa 2 chữ số thập phân"))
    return amount


def typed_number(text: str) -> str:
    """Read a number as Vietnamese officers type it: "1.200" is twelve hundred, "2,5" two and a half."""
    text = (text or "").strip().replace(" ", "")
    if "," in text:
        return text.replace(".", "").replace(",", ".")
    if text.count(".") >= 1 and all(len(group) == 3 for group in text.split(".")[1:]):
        return text.replace(".", "")
    return text


def can_plan(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in PLANNERS))


def can_report(user, unit_code: str) -> bool:
    """Planners and centre staff report any unit; a commune officer their own commune."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role in PLANNERS or user.role == Role.CENTRE_STAFF:
        return True
    return user.role == Role.COMMUNE_OFFICER and unit_code == user.commune_code


# ---------------------------------------------------------------- targets


def set_target(
    *, indicator_code: str, unit_code: str, year: int, value, breakdown: str = "", note: str = "", actor
) -> Target:
    """Create or change the year's target of an indicator (or of one named part of it) in a unit."""
    errors: dict[str, list] = {}
    if not can_plan(actor):
        raise ValidationError(_("Chỉ chuyên viên, quản trị cấp tỉnh được đặt chỉ tiêu kế hoạch"))
    indicator = _check_indicator(indicator_code, errors)
    province_code = _check_unit(unit_code, errors)
    _check_breakdown(indicator, breakdown, errors)
    amount = _check_amount(indicator, value, errors)
    if not 2000 <= int(year or 0) <= 2100:
        errors.setdefault("year", []).append(_("Năm kế hoạch không hợp lệ"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target = Target.objects.filter(
            indicator_code=indicator.code, breakdown=breakdown, unit_code=unit_code, year=year
        ).first()
        old = None if target is None else str(target.value)
        if target is None:
            target = Target(
                indicator_code=indicator.code, breakdown=breakdown, unit_code=unit_code, year=year
            )
        target.province_code = province_code
        target.value = amount
        target.note = note[:255]
        target.set_by = actor
        target.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE if old is None else AuditAction.UPDATE,
            object_type="indicators.target",
            object_id=target.pk,
            object_repr=str(target),
            changes={"value": [old, str(amount)]},
            source="web",
            province_code=province_code,
        )
    return target


# ---------------------------------------------------------------- reported values


def save_data_value(
    *,
    indicator_code: str,
    unit_code: str,
    period_code: str,
    value,
    breakdown: str = "",
    comment: str = "",
    actor,
    source: str = "web",
) -> DataValue:
    """Enter or correct a reported figure; an approved figure is locked."""
    errors: dict[str, list] = {}
    indicator = _check_indicator(indicator_code, errors)
    if indicator is not None and indicator.is_computed:
        errors.setdefault("indicator_code", []).append(
            _("Chỉ tiêu “%(name)s” được tính tự động từ cơ sở dữ liệu, không nhập tay")
            % {"name": indicator.name}
        )
    province_code = _check_unit(unit_code, errors)
    _check_breakdown(indicator, breakdown, errors)
    amount = _check_amount(indicator, value, errors)
    try:
        period = parse_period(period_code)
    except PeriodInvalid as error:
        errors.setdefault("period_code", []).append(str(error))
        period = None
    if period is not None and period.start > timezone.localdate():
        errors.setdefault("period_code", []).append(_("Kỳ báo cáo chưa bắt đầu"))
    if errors:
        raise ValidationError(errors)
    if not can_report(actor, unit_code):
        raise ValidationError(_("Bạn không được nhập số liệu cho đơn vị này"))
    with transaction.atomic():
        existing = (
            DataValue.objects.select_for_update()
            .filter(
                indicator_code=indicator.code,
                breakdown=breakdown,
                unit_code=unit_code,
                period_code=period.code,
            )
            .first()
        )
        if existing is not None and existing.is_locked:
            raise ValidationError(
                _("Số liệu “%(name)s” kỳ %(period)s đã được duyệt và khóa; không sửa được")
                % {"name": indicator.name, "period": period.code}
            )
        _check_parts(indicator, unit_code, period.code, breakdown, amount)
        old = None if existing is None else str(existing.value)
        data_value = existing or DataValue(
            indicator_code=indicator.code, breakdown=breakdown, unit_code=unit_code, period_code=period.code
        )
        data_value.province_code = province_code
        data_value.value = amount
        data_value.comment = comment[:255]
        data_value.entered_by = actor
        data_value.status = DataValueStatus.ENTERED
        data_value.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE if old is None else AuditAction.UPDATE,
            object_type="indicators.datavalue",
            object_id=data_value.pk,
            object_repr=str(data_value),
            changes={"value": [old, str(amount)]},
            source=source,
            province_code=province_code,
            commune_code=unit_code if len(unit_code) == 5 else "",
        )
    return data_value


def _check_parts(
    indicator: Indicator, unit_code: str, period_code: str, breakdown: str, amount: Decimal
) -> None:
    """A named part ("of which female") cannot exceed the total it is part of, nor the total its parts."""
    same = DataValue.objects.filter(
        indicator_code=indicator.code, unit_code=unit_code, period_code=period_code
    )
    if breakdown:
        total = same.filter(breakdown="").values_list("value", flat=True).first()
        if total is not None and amount > total:
            raise ValidationError(
                {
                    "value": [
                        _("Phần “%(part)s” (%(value)s) lớn hơn tổng số (%(total)s)")
                        % {"part": indicator.breakdown_label(breakdown), "value": amount, "total": total}
                    ]
                }
            )
    else:
        largest = same.exclude(breakdown="").order_by("-value").values_list("breakdown", "value").first()
        if largest is not None and largest[1] > amount:
            raise ValidationError(
                {
                    "value": [
                        _("Tổng số (%(total)s) nhỏ hơn phần “%(part)s” (%(value)s)")
                        % {
                            "part": indicator.breakdown_label(largest[0]),
                            "value": largest[1],
                            "total": amount,
                        }
                    ]
                }
            )


def approve_data_values(*, data_values, actor) -> int:
    """Approve entered figures: from now on they are locked and count in reports."""
    if not can_plan(actor):
        raise ValidationError(_("Chỉ chuyên viên, quản trị cấp tỉnh được duyệt số liệu"))
    approved = 0
    with transaction.atomic():
        for data_value in data_values:
            if data_value.is_locked:
                continue
            data_value.status = DataValueStatus.APPROVED
            data_value.approved_by = actor
            data_value.approved_at = timezone.now()
            data_value.save(update_fields=["status", "approved_by", "approved_at"])
            record_event(
                actor=actor,
                action=AuditAction.UPDATE,
                object_type="indicators.datavalue",
                object_id=data_value.pk,
                object_repr=str(data_value),
                changes={"status": [DataValueStatus.ENTERED.value, DataValueStatus.APPROVED.value]},
                source="web",
                province_code=data_value.province_code,
            )
            approved += 1
    return approved
