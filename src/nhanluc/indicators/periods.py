"""Reporting periods as provinces name them: a year, a half-year, a quarter or a month.

Codes: "2026", "2026-H1", "2026-Q3", "2026-M05", and "2026-T05" for
January to May. A register figure for a period is its stock at the
period's end, read as the situations in force at 0 h of the next day: a survey round dated 01/07 is
"thời điểm 0 giờ ngày 01/7", the state at the end of 30/06.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

_CODE = re.compile(r"^(?P<year>\d{4})(?:-(?P<kind>[HQMT])(?P<number>\d{1,2}))?$")
_MONTHS_PER_KIND = {"Y": 12, "H": 6, "Q": 3, "M": 1}
_LIMITS = {"Y": 1, "H": 2, "Q": 4, "M": 12, "T": 12}


class PeriodInvalid(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    # Y year, H half, Q quarter, M month; T "the first n months" (lũy kế n tháng đầu năm)
    kind: str
    number: int  # 1 for a year; 1–2, 1–4, 1–12; for T the number of months

    @property
    def code(self) -> str:
        if self.kind == "Y":
            return f"{self.year}"
        if self.kind in ("M", "T"):
            return f"{self.year}-{self.kind}{self.number:02d}"
        return f"{self.year}-{self.kind}{self.number}"

    def __str__(self) -> str:
        return self.code

    @property
    def months(self) -> int:
        return self.number if self.kind == "T" else _MONTHS_PER_KIND[self.kind]

    @property
    def first_month(self) -> int:
        return 1 if self.kind == "T" else (self.number - 1) * self.months + 1

    @property
    def last_month(self) -> int:
        return self.first_month + self.months - 1

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        if self.last_month == 12:
            return datetime.date(self.year, 12, 31)
        return datetime.date(self.year, self.last_month + 1, 1) - datetime.timedelta(days=1)

    @property
    def stock_date(self) -> datetime.date:
        """The day whose 0 h state describes the end of the period."""
        return self.end + datetime.timedelta(days=1)

    def same_period_last_year(self) -> "Period":
        return Period(self.year - 1, self.kind, self.number)

    def year_to_date(self) -> "Period":
        """From 1 January to the end of this period, for cumulative (lũy kế) figures."""
        return first_months(self.year, self.last_month)

    def label(self) -> str:
        if self.kind == "Y":
            return _("năm %(year)s") % {"year": self.year}
        if self.kind == "H":
            text = _("6 tháng đầu năm %(year)s") if self.number == 1 else _("6 tháng cuối năm %(year)s")
            return text % {"year": self.year}
        if self.kind == "Q":
            return _("quý %(number)s năm %(year)s") % {
                "number": ["I", "II", "III", "IV"][self.number - 1],
                "year": self.year,
            }
        if self.kind == "T":
            return _("%(number)s tháng đầu năm %(year)s") % {"number": self.number, "year": self.year}
        return _("tháng %(number)s năm %(year)s") % {"number": self.number, "year": self.year}

    def sub_periods(self, kind: str) -> list["Period"]:
        """The periods of `kind` that make up this one (the quarters of a half-year, …)."""
        size = _MONTHS_PER_KIND[kind]
        if size >= self.months or self.months % size:
            return []
        first = (self.first_month - 1) // size + 1
        return [Period(self.year, kind, first + index) for index in range(self.months // size)]


def first_months(year: int, months: int) -> Period:
    """January to month `months`, named as the period it is when it is one (6 months = H1)."""
    named = {
        1: Period(year, "M", 1),
        3: Period(year, "Q", 1),
        6: Period(year, "H", 1),
        12: Period(year, "Y", 1),
    }
    return named.get(months, Period(year, "T", months))


def parse_period(text: str) -> Period:
    """ "2026-H1" → Period; a clear message for anything else."""
    match = _CODE.match((text or "").strip().upper())
    if not match:
        raise PeriodInvalid(
            _("Kỳ “%(text)s” không hợp lệ: dùng 2026, 2026-H1, 2026-Q2, 2026-M05 hoặc 2026-T05")
            % {"text": text}
        )
    year = int(match["year"])
    kind = match["kind"] or "Y"
    number = int(match["number"] or 1)
    if not 1 <= number <= _LIMITS[kind] or not 2000 <= year <= 2100:
        raise PeriodInvalid(
            _("Kỳ “%(text)s” không hợp lệ: dùng 2026, 2026-H1, 2026-Q2, 2026-M05 hoặc 2026-T05")
            % {"text": text}
        )
    # "The first 6 months" is the first half: one name per span, so values entered either way meet.
    return first_months(year, number) if kind == "T" else Period(year, kind, number)
