"""Reading free-text addresses ("Xã Cổ Thành, TP Chí Linh, Tỉnh Hải Dương") into current-scheme units.

Survey forms carry addresses as text, often still in the pre-2025 form. An `AddressIndex` is built once
per import (two queries) and resolves thousands of distinct addresses from memory.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from nhanluc.core.services import reference_generation
from nhanluc.core.text import fold, fold_column
from nhanluc.geo.choices import Level, Scheme
from nhanluc.geo.models import AdminUnit, UnitSuccession

# Longest first, so "thi xa" is removed before "xa".
_PREFIXES = (
    "thanh pho trung uong ",
    "thanh pho ",
    "thi tran ",
    "thi xa ",
    "dac khu ",
    "phuong ",
    "quan ",
    "huyen ",
    "tinh ",
    "tp ",
    "xa ",
    "p ",
    "q ",
)

# Destination countries of overseas contract work and the words forms use for "abroad".
_ABROAD = {
    "nuoc ngoai",
    "nhat ban",
    "nhat",
    "han quoc",
    "dai loan",
    "trung quoc",
    "malaysia",
    "singapore",
    "thai lan",
    "lao",
    "campuchia",
    "duc",
    "phap",
    "anh",
    "uc",
    "australia",
    "my",
    "hoa ky",
    "canada",
    "nga",
    "ba lan",
    "romania",
    "hungary",
    "sec",
    "slovakia",
    "a rap xe ut",
    "qatar",
    "uae",
    "israel",
    "new zealand",
    "phan lan",
    "ma cao",
    "hong kong",
    "brunei",
    "algeria",
    "angola",
}


# The first prefix that matches, in the order above, and only with a name after it. One pattern for
# Python's regexes and Polars' (both try the alternatives in order).
_PREFIX_PATTERN = "^(?:" + "|".join(_PREFIXES) + ")(.+)$"
_PREFIX = re.compile(_PREFIX_PATTERN)


def _bare(text: str) -> str:
    """An address part folded, without its unit-type prefix ("Xã Cổ Thành" → "co thanh")."""
    return _PREFIX.sub(r"\1", fold(text))


def bare_column(column: pl.Expr) -> pl.Expr:
    """`_bare` of every text of a column in one vectorised step (every unit's name when an index is
    built: three times faster than folding them one by one in a new process)."""
    return fold_column(column).str.replace(_PREFIX_PATTERN, "${1}")


@dataclass(frozen=True)
class AddressMatch:
    province_code: str = ""  # current scheme
    commune_code: str = ""  # current scheme; empty when unknown or when the legacy commune was split
    abroad: bool = False
    legacy_commune_code: str = ""
    candidates: tuple[str, ...] = field(default_factory=tuple)

    @property
    def needs_review(self) -> bool:
        return bool(self.legacy_commune_code) and not self.commune_code


class AddressIndex:
    def __init__(self):
        schema = {
            "id": pl.Int64,
            "scheme": pl.Utf8,
            "level": pl.Utf8,
            "code": pl.Utf8,
            "name": pl.Utf8,
            "parent_id": pl.Int64,
            "province_code": pl.Utf8,
        }
        units = pl.DataFrame(
            list(AdminUnit.objects.values_list(*schema)), schema=schema, orient="row"
        ).with_columns(bare_column(pl.col("name")).alias("bare"))
        district_names = dict(
            units.filter(pl.col("level") == Level.DISTRICT.value).select("id", "bare").iter_rows()
        )
        self.current_provinces: dict[str, str] = {}
        self.legacy_provinces: dict[str, str] = {}
        self.current_communes: dict[tuple[str, str], str] = {}
        self.legacy_communes: dict[tuple[str, str, str], str] = {}
        self.legacy_communes_by_province: dict[tuple[str, str], list[str]] = {}
        rows = units.select("scheme", "level", "code", "bare", "parent_id", "province_code").iter_rows()
        for scheme, level, code, bare, parent_id, province_code in rows:
            if level == Level.PROVINCE:
                target = self.current_provinces if scheme == Scheme.CURRENT else self.legacy_provinces
                target[bare] = code
            elif level == Level.COMMUNE and scheme == Scheme.CURRENT:
                self.current_communes[(province_code, bare)] = code
            elif level == Level.COMMUNE:
                district_name = district_names.get(parent_id, "")
                self.legacy_communes[(province_code, district_name, bare)] = code
                self.legacy_communes_by_province.setdefault((province_code, bare), []).append(code)
        self.successors: dict[str, list[tuple[str, bool]]] = {}
        links = UnitSuccession.objects.filter(
            old__scheme=Scheme.LEGACY, old__level=Level.COMMUNE
        ).values_list("old__code", "new__code", "partial")
        for old, new, partial in links:
            self.successors.setdefault(old, []).append((new, partial))
        self.legacy_to_current_province = dict(
            UnitSuccession.objects.filter(old__scheme=Scheme.LEGACY, old__level=Level.PROVINCE).values_list(
                "old__code", "new__code"
            )
        )
        self.commune_province = {code: province for (province, _name), code in self.current_communes.items()}
        self._cache: dict[str, AddressMatch] = {}

    def resolve(self, text: str | None) -> AddressMatch:
        if not text:
            return AddressMatch()
        cached = self._cache.get(text)
        if cached is None:
            cached = self._cache[text] = self._resolve(text)
        return cached

    def _convert(self, legacy_code: str) -> AddressMatch:
        links = self.successors.get(legacy_code, [])
        codes = tuple(sorted(new for new, _partial in links))
        province = self.commune_province.get(codes[0], "") if codes else ""
        if len(codes) == 1 and not any(partial for _new, partial in links):
            return AddressMatch(
                province_code=province, commune_code=codes[0], legacy_commune_code=legacy_code
            )
        provinces = {self.commune_province.get(code, "") for code in codes}
        return AddressMatch(
            province_code=province if len(provinces) == 1 else "",
            legacy_commune_code=legacy_code,
            candidates=codes,
        )

    def _resolve(self, text: str) -> AddressMatch:
        parts = [_bare(part) for part in text.replace(";", ",").replace(" - ", ",").split(",")]
        parts = [part for part in parts if part]
        if not parts:
            return AddressMatch()
        if parts[-1] in _ABROAD or fold(text) in _ABROAD:
            return AddressMatch(abroad=True)
        last = parts[-1]
        current_province = self.current_provinces.get(last)
        legacy_province = self.legacy_provinces.get(last)
        # Three parts or more with a legacy province: commune, district, province of the old scheme.
        if legacy_province and len(parts) >= 3:
            code = self.legacy_communes.get((legacy_province, parts[-2], parts[-3]))
            if code:
                return self._convert(code)
        if current_province and len(parts) >= 2:
            code = self.current_communes.get((current_province, parts[-2]))
            if code:
                return AddressMatch(province_code=current_province, commune_code=code)
        if legacy_province and len(parts) >= 2:
            codes = self.legacy_communes_by_province.get((legacy_province, parts[-2]), [])
            if len(codes) == 1:
                return self._convert(codes[0])
        if current_province:
            return AddressMatch(province_code=current_province)
        if legacy_province:
            return AddressMatch(province_code=self.legacy_to_current_province.get(legacy_province, ""))
        return AddressMatch()


@lru_cache(maxsize=2)
def _shared_index(generation: tuple) -> AddressIndex:
    return AddressIndex()


def shared_address_index() -> AddressIndex:
    """One index per process for single-record checks (forms, API) and imports; rebuilt when the units
    change (`reference_generation`)."""
    return _shared_index(reference_generation(AdminUnit, UnitSuccession))
