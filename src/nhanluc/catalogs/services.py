"""Loading the classifications from NHANLUC_REFERENCE_DATA/classifications (never copied into the repo)."""

import csv
import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation

from nhanluc.catalogs.choices import (
    TRAINING_FIELD_VERSION,
    VSCO_VERSION,
    VSIC_VERSION,
    IndustryLevel,
    OccupationLevel,
)
from nhanluc.catalogs.models import Industry, Occupation, OccupationTitle, TrainingField
from nhanluc.catalogs.suggest import forget_title_generation
from nhanluc.core.choices import AuditAction
from nhanluc.core.progress import Progress
from nhanluc.core.services import record_event
from nhanluc.core.text import fold

REQUIRED_FILES = {
    "DmNgheC1.json": "VSCO 2020 cấp 1 / level-1 occupation groups",
    "DmNghe.json": "VSCO 2020 cấp 4 và chức danh / level-4 occupations with job-title aliases",
    "DmNganhC1.json": "VSIC 2018 ngành cấp 1 / sections",
    "DmNganh.json": "VSIC 2018 cấp 4 / level-4 classes with product keywords",
    "vsic2018_level5.csv": "VSIC 2018 cấp 5 / level-5 sub-classes",
    "DmDaoTao.json": "ngành đào tạo / training fields",
}


class ReferenceDataMissing(Exception):
    """The reference-data folder or one of its files is absent; the message says what is expected."""


def classifications_dir(reference_dir: Path | None = None) -> Path:
    base = reference_dir or settings.NHANLUC_REFERENCE_DATA
    if base is None:
        raise ReferenceDataMissing(
            "Không tìm thấy thư mục dữ liệu tham chiếu. Đặt NHANLUC_REFERENCE_DATA trỏ tới thư mục chứa "
            "classifications/ (mặc định ../shared/data). / No reference-data folder: set "
            "NHANLUC_REFERENCE_DATA to the folder holding classifications/ (default ../shared/data)."
        )
    folder = Path(base) / "classifications"
    missing = [
        f"  - {name}: {what}" for name, what in REQUIRED_FILES.items() if not (folder / name).is_file()
    ]
    if missing:
        raise ReferenceDataMissing(
            f"Thiếu tệp danh mục trong {folder} / missing classification files in {folder}:\n"
            + "\n".join(missing)
        )
    return folder


def _read_list(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)["DanhMuc"]


def _clean(text) -> str:
    return " ".join(str(text or "").split())


def _upsert(model, version: str, rows: list[dict], fields: list[str]) -> dict:
    """Insert new codes and update changed ones of one classification version; report the counts."""
    existing = {obj.code: obj for obj in model.objects.filter(version=version)}
    creates, updates = [], []
    for row in rows:
        current = existing.get(row["code"])
        if current is None:
            creates.append(model(version=version, **row))
        elif any(getattr(current, name) != row[name] for name in fields):
            for name in fields:
                setattr(current, name, row[name])
            updates.append(current)
    model.objects.bulk_create(creates, batch_size=1000)
    model.objects.bulk_update(updates, fields, batch_size=1000)
    return {
        "created": len(creates),
        "updated": len(updates),
        "unchanged": len(rows) - len(creates) - len(updates),
    }


@transaction.atomic
def _load_occupations(folder: Path) -> dict:
    groups = [
        {
            "code": str(r["MaC1"]).strip(),
            "name": _clean(r["TenC1"]),
            "level": OccupationLevel.MAJOR_GROUP,
            "parent_id": None,
        }
        for r in _read_list(folder / "DmNgheC1.json")
        if str(r["MaC1"]).strip()
    ]
    for row in groups:
        row["search_name"] = fold(row["name"])
    report = {"level1": _upsert(Occupation, VSCO_VERSION, groups, ["name", "level", "search_name"])}
    group_ids = dict(Occupation.objects.filter(version=VSCO_VERSION, level=1).values_list("code", "pk"))

    titles: dict[str, list[str]] = {}
    major: dict[str, str] = {}
    for r in _read_list(folder / "DmNghe.json"):
        code = str(r["Ma"]).strip()
        titles.setdefault(code, [])
        title = _clean(r["Ten"])
        if title and title not in titles[code]:
            titles[code].append(title)
        major[code] = str(r["MaC1"]).strip()
    # The first row of a code is the group's official name; the others are job-title aliases.
    units = [
        {
            "code": code,
            "name": names[0],
            "level": OccupationLevel.UNIT_GROUP,
            "parent_id": group_ids[major[code]],
            "search_name": fold(names[0]),
        }
        for code, names in titles.items()
    ]
    report["level4"] = _upsert(Occupation, VSCO_VERSION, units, ["name", "level", "parent_id", "search_name"])

    occupation_ids = dict(Occupation.objects.filter(version=VSCO_VERSION, level=4).values_list("code", "pk"))
    existing = set(
        OccupationTitle.objects.filter(occupation__version=VSCO_VERSION).values_list("occupation_id", "title")
    )
    wanted = {
        (occupation_ids[code], title, index == 0)
        for code, names in titles.items()
        for index, title in enumerate(names)
    }
    new_titles = [
        OccupationTitle(occupation_id=o, title=t, search_title=fold(t), is_official_name=first)
        for o, t, first in wanted
        if (o, t) not in existing
    ]
    OccupationTitle.objects.bulk_create(new_titles, batch_size=1000)
    stale = existing - {(o, t) for o, t, _first in wanted}
    if stale:
        stale_ids = [
            pk
            for pk, occupation_id, title in OccupationTitle.objects.filter(occupation__version=VSCO_VERSION)
            .values_list("pk", "occupation_id", "title")
            .iterator()
            if (occupation_id, title) in stale
        ]
        OccupationTitle.objects.filter(pk__in=stale_ids).delete()
    if new_titles or stale:
        forget_title_generation()
    report["titles"] = {"created": len(new_titles), "deleted": len(stale), "total": len(wanted)}
    return report


@transaction.atomic
def _load_industries(folder: Path) -> dict:
    sections = [
        {
            "code": str(r["MaC1"]).strip(),
            "name": _clean(r["TenC1"]),
            "level": IndustryLevel.SECTION,
            "keywords": "",
            "parent_id": None,
        }
        for r in _read_list(folder / "DmNganhC1.json")
        if str(r["MaC1"]).strip() not in ("", "0")
    ]
    for row in sections:
        row["search_name"] = fold(row["name"])
    fields = ["name", "level", "keywords", "parent_id", "search_name"]
    report = {"sections": _upsert(Industry, VSIC_VERSION, sections, fields)}
    section_ids = dict(
        Industry.objects.filter(version=VSIC_VERSION, level=IndustryLevel.SECTION).values_list("code", "pk")
    )
    classes = [
        {
            "code": str(r["Ma"]).strip(),
            "name": _clean(r["Ten"]),
            "level": IndustryLevel.CLASS,
            "keywords": _clean(r.get("MoTa")),
            "parent_id": section_ids[str(r["MaC1"]).strip()],
            "search_name": fold(r["Ten"]),
        }
        for r in _read_list(folder / "DmNganh.json")
    ]
    report["level4"] = _upsert(Industry, VSIC_VERSION, classes, fields)
    class_ids = dict(
        Industry.objects.filter(version=VSIC_VERSION, level=IndustryLevel.CLASS).values_list("code", "pk")
    )
    with (folder / "vsic2018_level5.csv").open(encoding="utf-8-sig", newline="") as handle:
        subclasses = [
            {
                "code": r["MaNganh"].strip(),
                "name": _clean(r["TenVSIC"]),
                "level": IndustryLevel.SUBCLASS,
                "keywords": "",
                "parent_id": class_ids[r["MaNganh"].strip()[:4]],
                "search_name": fold(r["TenVSIC"]),
            }
            for r in csv.DictReader(handle)
        ]
    report["level5"] = _upsert(Industry, VSIC_VERSION, subclasses, fields)
    return report


@transaction.atomic
def _load_training_fields(folder: Path) -> dict:
    rows = [
        {"code": str(r["Ma"]).strip(), "name": _clean(r["Ten"]), "search_name": fold(r["Ten"])}
        for r in _read_list(folder / "DmDaoTao.json")
    ]
    return _upsert(TrainingField, TRAINING_FIELD_VERSION, rows, ["name", "search_name"])


# How many times load_catalogs advances its progress, for callers that size the bar.
CATALOG_STEPS = 3


def load_catalogs(
    *, reference_dir: Path | None = None, actor=None, source: str = "cli", progress: Progress | None = None
) -> dict:
    """Load VSCO, VSIC and training fields. Idempotent: loading twice changes nothing."""
    progress = progress or Progress()
    folder = classifications_dir(reference_dir)
    progress.note("Nạp danh mục nghề nghiệp VSCO 2020")
    result = {"occupations": _load_occupations(folder)}
    progress.advance()
    progress.note("Nạp danh mục ngành kinh tế VSIC 2018")
    result["industries"] = _load_industries(folder)
    progress.advance()
    progress.note("Nạp danh mục ngành đào tạo")
    result["training_fields"] = _load_training_fields(folder)
    progress.advance()
    record_event(
        actor=actor,
        action=AuditAction.LOAD,
        object_type="catalogs.classifications",
        object_repr=str(folder),
        changes=result,
        source=source,
        province_code=settings.NHANLUC_PROVINCE,
    )
    return result


# ---------------------------------------------------------------- code lists


class UnknownCode(ValueError):
    """A value that is neither a code nor a label of its list; the message lists what was allowed."""

    def __init__(self, list_title: str, value, choices):
        self.value = value
        self.allowed = [(code, str(label)) for code, label in choices.choices]
        allowed = "; ".join(f"{code} = {label}" for code, label in self.allowed)
        super().__init__(
            f"{list_title}: giá trị {value!r} không có trong danh mục / not in the code list ({allowed})"
        )


def resolve_code(choices, value, list_title: str = "") -> str:
    """The official code for `value`, given as the code ("1", 1, "01") or the label, with or without
    diacritics ("co viec lam"). Raises UnknownCode naming the list it was checked against."""
    text = str(value).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]  # spreadsheets hand integers over as floats
    codes = _codes(choices)
    if text in codes:
        return text
    if text.isascii() and text.isdigit():
        for code in codes:
            if code.isdigit() and int(code) == int(text):
                return code
    folded = fold(text)
    for code, label in folded_labels(choices):
        if folded and label == folded:
            return code
    raise UnknownCode(list_title or choices.__name__, value, choices)


@lru_cache(maxsize=64)
def _codes(choices) -> tuple[str, ...]:
    # Django builds `choices.values` afresh on each use: an import resolves every distinct value of
    # every coded column of every file.
    return tuple(choices.values)


# Labels are compared in Vietnamese, the language of the forms, whatever the uploader's UI language.
# Worked out once per process: an import resolves every distinct value of every coded column.
@lru_cache(maxsize=64)
def vietnamese_choices(choices) -> tuple[tuple[str, str], ...]:
    """(code, Vietnamese label) of each entry of a code list."""
    with translation.override("vi"):
        return tuple((code, str(label)) for code, label in choices.choices)


@lru_cache(maxsize=64)
def folded_labels(choices) -> tuple[tuple[str, str], ...]:
    """(code, folded Vietnamese label) of each entry of a code list."""
    return tuple((code, fold(label)) for code, label in vietnamese_choices(choices))
