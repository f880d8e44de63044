"""Loading the administrative units and converting legacy addresses to the 2025 units."""

from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import transaction

from nhanluc.core.choices import AuditAction
from nhanluc.core.progress import Progress
from nhanluc.core.services import Change, record_event, record_events
from nhanluc.core.text import fold
from nhanluc.geo.choices import LEGACY_LAST_DAY, REFORM_DATE, Level, Scheme
from nhanluc.geo.models import AdminUnit, UnitSuccession
from nhanluc.geo.province_succession import NEW_PROVINCE_SOURCES

UNIT_FIELDS = ("level", "division_type", "name", "province_code", "search_name", "valid_from", "valid_to")


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deleted": self.deleted,
        }


def _code(value: int, width: int) -> str:
    return str(int(value)).zfill(width)


def _unit_rows() -> list[tuple[dict, tuple[str, str] | None]]:
    """Every unit from `vietnam-provinces`, parents first, as (fields, parent key)."""
    from vietnam_provinces import Province, Ward, legacy

    def row(scheme, level, code, unit, province_code, valid_from, valid_to):
        return {
            "scheme": scheme,
            "code": code,
            "level": level,
            "division_type": str(unit.division_type.value),
            "name": unit.name,
            "province_code": province_code,
            "search_name": fold(unit.name),
            "valid_from": valid_from,
            "valid_to": valid_to,
        }

    rows = []
    for province in Province.iter_all():
        code = _code(province.code, 2)
        rows.append((row(Scheme.CURRENT, Level.PROVINCE, code, province, code, REFORM_DATE, None), None))
    for province in legacy.Province.iter_all():
        code = _code(province.code, 2)
        rows.append((row(Scheme.LEGACY, Level.PROVINCE, code, province, code, None, LEGACY_LAST_DAY), None))
    for ward in Ward.iter_all():
        province_code = _code(ward.province_code, 2)
        rows.append(
            (
                row(
                    Scheme.CURRENT, Level.COMMUNE, _code(ward.code, 5), ward, province_code, REFORM_DATE, None
                ),
                (Scheme.CURRENT, province_code),
            )
        )
    district_province = {}
    for district in legacy.District.iter_all():
        province_code = _code(district.province_code, 2)
        code = _code(district.code, 3)
        district_province[code] = province_code
        rows.append(
            (
                row(Scheme.LEGACY, Level.DISTRICT, code, district, province_code, None, LEGACY_LAST_DAY),
                (Scheme.LEGACY, province_code),
            )
        )
    known = set()
    for ward in legacy.Ward.iter_all():
        district_code = _code(ward.district_code, 3)
        known.add(_code(ward.code, 5))
        rows.append(
            (
                row(
                    Scheme.LEGACY,
                    Level.COMMUNE,
                    _code(ward.code, 5),
                    ward,
                    district_province[district_code],
                    None,
                    LEGACY_LAST_DAY,
                ),
                (Scheme.LEGACY, district_code),
            )
        )
    rows.extend(_communes_only_in_conversion_table(known))
    return rows


def _communes_only_in_conversion_table(known: set[str]) -> list[tuple[dict, tuple[str, str]]]:
    """Legacy communes that the conversion table names but the legacy list lacks.

    Ten communes created by mergers in the first half of 2025 are in the statistics office's
    conversion table only. Without them, addresses written with their codes could not be converted.
    Their names come from the conversion table in the reference data when it is there.
    """
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

    table = _conversion_table()
    names = table.names if table else {}
    rows = []
    for entry in OLD_TO_NEW.values():
        code = _code(entry.old_ward.code, 5)
        if code in known:
            continue
        known.add(code)
        name = names.get(code, f"Xã, phường cũ mã {code}")
        rows.append(
            (
                {
                    "scheme": Scheme.LEGACY,
                    "code": code,
                    "level": Level.COMMUNE,
                    "division_type": "phường"
                    if name.startswith("Phường")
                    else "thị trấn"
                    if name.startswith("Thị trấn")
                    else "xã",
                    "name": name,
                    "province_code": _code(entry.old_ward.province_code, 2),
                    "search_name": fold(name),
                    "valid_from": None,
                    "valid_to": LEGACY_LAST_DAY,
                },
                (Scheme.LEGACY, _code(entry.old_ward.district_code, 3)),
            )
        )
    return rows


@dataclass
class ConversionTable:
    """What the statistics office's conversion table (admin-units/ in the reference data) says of
    each old commune: its name, and whether a note says it was merged only in part."""

    names: dict[str, str] = field(default_factory=dict)
    split: set[str] = field(default_factory=set)


@lru_cache(maxsize=1)
def _conversion_table() -> ConversionTable | None:
    import csv

    if settings.NHANLUC_REFERENCE_DATA is None:
        return None
    path = settings.NHANLUC_REFERENCE_DATA / "admin-units" / "gso_ward_conversion_old_to_new_2025-07.csv"
    if not path.is_file():
        return None
    table = ConversionTable()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.reader(handle):
            if len(record) > 5 and record[4].strip().isdigit():
                code = record[4].strip().zfill(5)
                table.names[code] = " ".join(record[3].split())
                if "một phần" in record[5].lower():
                    table.split.add(code)
    return table


def _is_partial(code: str, package_flag: bool) -> bool:
    """The table's note ("nhập một phần…") decides where it speaks of the commune: the package flags
    communes the table keeps whole ("giữ nguyên") and misses some merged only in part."""
    table = _conversion_table()
    if table is None or code not in table.names:
        return package_flag
    return code in table.split


def _succession_rows() -> set[tuple[tuple[str, str], tuple[str, str], bool]]:
    """(old key, new key, partial) for every commune link of the package plus our province table."""
    from vietnam_provinces._ward_conversion_2025 import OLD_TO_NEW

    links = set()
    for entry in OLD_TO_NEW.values():
        old = (Scheme.LEGACY, _code(entry.old_ward.code, 5))
        partial = _is_partial(old[1], bool(entry.old_ward.is_partly_merged))
        for new_ward in entry.new_wards:
            links.add((old, (Scheme.CURRENT, _code(new_ward.code, 5)), partial))
    for new_code, legacy_codes in NEW_PROVINCE_SOURCES.items():
        for legacy_code in legacy_codes:
            links.add(((Scheme.LEGACY, legacy_code), (Scheme.CURRENT, new_code), False))
    return links


@transaction.atomic
def _load_units(rows, *, actor, source: str) -> LoadReport:
    report = LoadReport()
    existing = {(u.scheme, u.code): u for u in AdminUnit.objects.all()}
    ids = {key: unit.pk for key, unit in existing.items()}
    updates, changes = [], []
    # Parents come before children in `rows`, so one pass per level resolves every parent id.
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        creates = []
        for fields, parent_key in rows:
            if fields["level"] != level:
                continue
            key = (fields["scheme"], fields["code"])
            parent_id = ids[parent_key] if parent_key else None
            unit = existing.get(key)
            if unit is None:
                creates.append(AdminUnit(parent_id=parent_id, **fields))
                continue
            wanted = {name: fields[name] for name in UNIT_FIELDS} | {"parent_id": parent_id}
            diff = {
                name: [getattr(unit, name), value]
                for name, value in wanted.items()
                if getattr(unit, name) != value
            }
            if not diff:
                report.unchanged += 1
                continue
            for name, (_old, value) in diff.items():
                setattr(unit, name, value)
            updates.append(unit)
            changes.append(
                Change(
                    action=AuditAction.UPDATE,
                    object_type="geo.adminunit",
                    object_id=f"{key[0]}:{key[1]}",
                    object_repr=unit.name,
                    changes={k: [str(o), str(n)] for k, (o, n) in diff.items()},
                    province_code=settings.NHANLUC_PROVINCE,
                )
            )
        AdminUnit.objects.bulk_create(creates, batch_size=2000)
        report.created += len(creates)
        if creates:
            ids.update(
                {
                    (s, c): pk
                    for s, c, pk in AdminUnit.objects.filter(level=level).values_list("scheme", "code", "pk")
                }
            )
    if updates:
        AdminUnit.objects.bulk_update(updates, [*UNIT_FIELDS, "parent"], batch_size=2000)
        report.updated = len(updates)
        record_events(actor=actor, source=source, changes=changes)
    return report


@transaction.atomic
def _load_successions(links, *, actor, source: str) -> LoadReport:
    report = LoadReport()
    ids = {(s, c): pk for s, c, pk in AdminUnit.objects.values_list("scheme", "code", "pk")}
    wanted = {(ids[old], ids[new]): partial for old, new, partial in links}
    existing = {(s.old_id, s.new_id): s for s in UnitSuccession.objects.all()}
    creates = [
        UnitSuccession(old_id=o, new_id=n, partial=p)
        for (o, n), p in wanted.items()
        if (o, n) not in existing
    ]
    updates = []
    for key, succession in existing.items():
        if key in wanted and succession.partial != wanted[key]:
            succession.partial = wanted[key]
            updates.append(succession)
    stale = [s.pk for key, s in existing.items() if key not in wanted]
    UnitSuccession.objects.bulk_create(creates, batch_size=2000)
    UnitSuccession.objects.bulk_update(updates, ["partial"], batch_size=2000)
    UnitSuccession.objects.filter(pk__in=stale).delete()
    report.created, report.updated, report.deleted = len(creates), len(updates), len(stale)
    report.unchanged = len(existing) - len(updates) - len(stale)
    if updates or stale:
        record_events(
            actor=actor,
            source=source,
            changes=[
                Change(
                    action=AuditAction.UPDATE,
                    object_type="geo.unitsuccession",
                    object_id=str(s.pk),
                    changes={"partial": [not s.partial, s.partial]},
                )
                for s in updates
            ]
            + [
                Change(action=AuditAction.DELETE, object_type="geo.unitsuccession", object_id=str(pk))
                for pk in stale
            ],
        )
    return report


# How many times load_geography advances its progress, for callers that size the bar.
GEOGRAPHY_STEPS = 3


def load_geography(*, actor=None, source: str = "cli", progress: Progress | None = None) -> dict:
    """Load (or refresh) every unit and succession link. Idempotent: a second run changes nothing."""
    from vietnam_provinces import __data_version__

    progress = progress or Progress()
    progress.note("Đọc danh mục đơn vị hành chính")
    rows = _unit_rows()
    progress.advance()
    progress.note("Ghi đơn vị hành chính")
    units = _load_units(rows, actor=actor, source=source)
    progress.advance()
    progress.note("Ghi bảng chuyển đổi cũ → mới")
    successions = _load_successions(_succession_rows(), actor=actor, source=source)
    progress.advance()
    result = {
        "units": units.as_dict(),
        "successions": successions.as_dict(),
        "data_version": __data_version__,
    }
    record_event(
        actor=actor,
        action=AuditAction.LOAD,
        object_type="geo.adminunit",
        object_repr=f"vietnam-provinces {__data_version__}",
        province_code=settings.NHANLUC_PROVINCE,
        changes=result,
        source=source,
    )
    return result


# ---------------------------------------------------------------- legacy → current


@dataclass(frozen=True)
class LegacyConversion:
    """Where a legacy commune went. `commune` is None when it was split between several communes:
    the record then needs a person's review (or a street/hamlet rule); we never guess."""

    legacy_code: str
    commune: AdminUnit | None
    candidates: tuple[AdminUnit, ...] = field(default_factory=tuple)
    partial: bool = False

    @property
    def needs_review(self) -> bool:
        # Split between communes, or merged only in part: the address alone does not say where it is now.
        return self.commune is None or self.partial


class UnknownLegacyCommune(LookupError):
    pass


def convert_legacy_commune(code: str | int) -> LegacyConversion:
    legacy_code = str(code).strip().zfill(5)
    links = list(
        UnitSuccession.objects.filter(
            old__scheme=Scheme.LEGACY, old__level=Level.COMMUNE, old__code=legacy_code
        )
        .select_related("new__parent")
        .order_by("new__code")
    )
    if not links:
        if not AdminUnit.objects.legacy().communes().filter(code=legacy_code).exists():
            raise UnknownLegacyCommune(
                f"Mã xã cũ {legacy_code} không có trong danh mục trước 01/7/2025 / unknown legacy commune code"
            )
        return LegacyConversion(legacy_code=legacy_code, commune=None)
    candidates = tuple(link.new for link in links)
    partial = any(link.partial for link in links)
    commune = candidates[0] if len(candidates) == 1 else None
    return LegacyConversion(legacy_code=legacy_code, commune=commune, candidates=candidates, partial=partial)


def current_province_of_legacy(legacy_province_code: str) -> AdminUnit:
    link = UnitSuccession.objects.select_related("new").get(
        old__scheme=Scheme.LEGACY, old__level=Level.PROVINCE, old__code=str(legacy_province_code).zfill(2)
    )
    return link.new
