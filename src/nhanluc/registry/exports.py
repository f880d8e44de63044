"""A person as each role may see them, and exports of any filtered list in keyset batches.

The list page, the detail page, the exports and the API all take a person's values from `present`,
so masking is decided in one place.
"""

import csv
import datetime
import io
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from nhanluc.core.formatting import format_date
from nhanluc.core.privacy import MASKED, mask_cccd, mask_phone, sees_identifiers, sees_sensitive
from nhanluc.registry.filters import situations_on
from nhanluc.registry.models import LaborSituation, Person

EXPORT_BATCH = 2000


def present(person: Person, situation: LaborSituation | None, user) -> dict:
    """The values of a person and their situation, masked as the user's role requires."""
    identifiers = sees_identifiers(user)
    sensitive = sees_sensitive(user)
    values = {
        "id": person.pk,
        "cccd": person.cccd if identifiers else mask_cccd(person.cccd),
        "full_name": person.full_name,
        "birth_date": person.birth_date,
        "sex": person.get_sex_display(),
        "ethnicity": person.get_ethnicity_display() if sensitive else (MASKED if person.ethnicity else ""),
        "phone": person.phone if identifiers else mask_phone(person.phone),
        "bhxh_number": person.bhxh_number if identifiers else (MASKED if person.bhxh_number else ""),
        "priority_groups": person.priority_groups
        if sensitive
        else (MASKED if person.priority_groups else ""),
        "commune_code": person.commune_code,
        "hamlet": person.hamlet,
        "current_address": person.current_address if identifiers else "",
        "left_on": person.left_on,
        "activity_status": "",
        "activity_status_code": "",
        "qualification": "",
        "occupation_code": "",
        "job_title": "",
        "social_insurance": "",
        "unemployment_insurance": None,
        "workplace_location": "",
        "valid_from": None,
    }
    if situation is not None:
        values.update(
            activity_status=situation.get_activity_status_display(),
            activity_status_code=situation.activity_status,
            qualification=situation.get_qualification_display(),
            occupation_code=situation.occupation_code,
            job_title=situation.job_title,
            social_insurance=situation.get_social_insurance_type_display(),
            unemployment_insurance=situation.unemployment_insurance
            if situation.activity_status == "1"
            else None,
            workplace_location=situation.get_workplace_location_display(),
            valid_from=situation.valid_from,
        )
    return values


# (key of `present`, heading) in export order.
EXPORT_COLUMNS = (
    ("cccd", gettext_noop("Số CCCD")),
    ("full_name", gettext_noop("Họ và tên")),
    ("birth_date", gettext_noop("Ngày sinh")),
    ("sex", gettext_noop("Giới tính")),
    ("ethnicity", gettext_noop("Dân tộc")),
    ("phone", gettext_noop("Điện thoại")),
    ("bhxh_number", gettext_noop("Mã số BHXH")),
    ("priority_groups", gettext_noop("Đối tượng ưu tiên")),
    ("commune_code", gettext_noop("Mã xã")),
    ("hamlet", gettext_noop("Thôn, tổ dân phố")),
    ("activity_status", gettext_noop("Tình trạng hoạt động kinh tế")),
    ("qualification", gettext_noop("Trình độ chuyên môn kỹ thuật")),
    ("job_title", gettext_noop("Công việc cụ thể")),
    ("occupation_code", gettext_noop("Mã nghề")),
    ("social_insurance", gettext_noop("Tham gia BHXH")),
    ("unemployment_insurance", gettext_noop("Tham gia BHTN")),
    ("workplace_location", gettext_noop("Nơi làm việc thuộc")),
    ("valid_from", gettext_noop("Tình trạng từ ngày")),
    ("left_on", gettext_noop("Ngày ghi giảm")),
)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, datetime.date):
        return format_date(value)
    return str(value)


def export_rows(queryset: QuerySet, *, day: datetime.date, user) -> Iterator[list[str]]:
    """Rows of the filtered list, read in keyset batches (never OFFSET, never all at once)."""
    last = 0
    while True:
        people = list(queryset.filter(pk__gt=last).order_by("pk")[:EXPORT_BATCH])
        if not people:
            return
        situations = situations_on([person.pk for person in people], day)
        for person in people:
            values = present(person, situations.get(person.pk), user)
            yield [_cell(values[key]) for key, _heading in EXPORT_COLUMNS]
        last = people[-1].pk


def headings() -> list[str]:
    return [_(heading) for _key, heading in EXPORT_COLUMNS]


def stream_csv(queryset: QuerySet, *, day: datetime.date, user, language: str) -> Iterator[str]:
    """CSV text in pieces; UTF-8 with a byte-order mark so Excel shows the diacritics."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    with translation.override(language):
        writer.writerow(headings())
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    count = 0
    # Rows are produced lazily while the response streams; the language must hold for each batch.
    rows = export_rows(queryset, day=day, user=user)
    while True:
        with translation.override(language):
            row = next(rows, None)
        if row is None:
            break
        writer.writerow(row)
        count += 1
        if count % EXPORT_BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(queryset: QuerySet, *, day: datetime.date, user, path) -> int:
    """An XLSX file of the filtered list, written row by row (constant memory)."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet(_("Danh sách")[:31])
    bold = workbook.add_format({"bold": True})
    text = workbook.add_format({"num_format": "@"})
    for index, heading in enumerate(headings()):
        sheet.write_string(0, index, heading, bold)
        sheet.set_column(index, index, 16, text)
    count = 0
    for count, row in enumerate(export_rows(queryset, day=day, user=user), start=1):
        for index, value in enumerate(row):
            if value:
                sheet.write_string(count, index, value)
    workbook.close()
    return count
