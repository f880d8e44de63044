"""Producing the official reports as files: Mẫu 04 and the progress report, in XLSX, Word or PDF.

The command line (`nhanluc report …`) and the background job of the reports page both call
`write_report`, so the two give the same file.
"""

import datetime
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from nhanluc.core.progress import Progress
from nhanluc.geo.models import AdminUnit
from nhanluc.indicators.documents import Letterhead, convert_to_pdf
from nhanluc.indicators.mau04 import NoReportData, build_mau04, write_mau04_docx, write_mau04_xlsx
from nhanluc.indicators.periods import Period
from nhanluc.indicators.progress_report import (
    NoProgressData,
    build_progress_report,
    write_progress_docx,
    write_progress_xlsx,
)

FORMATS = (".xlsx", ".docx", ".pdf")
KINDS = ("mau04", "progress")


class ReportRefused(Exception):
    """The report cannot be made as asked: no data for the period, an unknown format, no PDF converter."""


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isalpha()).upper()


def letterhead_for(province_code: str, day: datetime.date) -> tuple[Letterhead, str]:
    province = AdminUnit.objects.current().filter(level="province", code=province_code).first()
    province_name = province.name if province else province_code
    place = province_name.removeprefix("Thành phố ").removeprefix("Tỉnh ")
    agency = settings.NHANLUC_AGENCY_NAME
    head = Letterhead(
        parent_authority=f"UBND {province_name}",
        agency=agency,
        number_symbol=f"Số:        /BC-{_initials(agency)}",
        place=place,
        day=day,
    )
    return head, province_name


def write_report(
    *,
    kind: str,
    period: Period,
    out: Path,
    province_code: str | None = None,
    progress: Progress | None = None,
) -> Path:
    """Build the report and write it to `out`, whose suffix picks the format."""
    province_code = province_code or settings.NHANLUC_PROVINCE
    suffix = out.suffix.lower()
    if suffix not in FORMATS or kind not in KINDS:
        raise ReportRefused(
            f"Chỉ xuất được {', '.join(FORMATS)} (tệp {out.name}). / Only {', '.join(FORMATS)} can be written."
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    head, province_name = letterhead_for(province_code, timezone.localdate())
    try:
        if kind == "mau04":
            report = build_mau04(province_code=province_code, year=period.year, progress=progress)
        else:
            report = build_progress_report(province_code=province_code, period=period, progress=progress)
    except (NoReportData, NoProgressData) as error:
        raise ReportRefused(str(error)) from None
    if suffix == ".xlsx":
        writer = write_mau04_xlsx if kind == "mau04" else write_progress_xlsx
        writer(report, out, province_name=province_name)
        return out
    writer = write_mau04_docx if kind == "mau04" else write_progress_docx
    if suffix == ".docx":
        writer(report, out, letterhead=head, province_name=province_name)
        return out
    with tempfile.TemporaryDirectory() as folder:
        word = Path(folder) / (out.stem + ".docx")
        writer(report, word, letterhead=head, province_name=province_name)
        try:
            convert_to_pdf(word, out)
        except Exception as error:
            raise ReportRefused(str(error)) from None
    return out
