"""The rules of labour-demand records, shared by forms, the API, imports and the portal.

Each check raises `django.core.exceptions.ValidationError` with the message in the page's language
(Vietnamese first) and, where it concerns one field, a dict keyed by that field.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nhanluc.employers.choices import SIZE_BAND_LIMITS, SizeBand

# Weights of the first nine digits in the MST check digit (domain brief §6).
TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)

# The totals of Mẫu 02/PLI, in the order of the form; each part of a breakdown is at most the headcount.
REPORT_TOTALS = (
    "headcount",
    "female",
    "over_35",
    "compulsory_insurance",
    "managers",
    "high_technical",
    "mid_technical",
    "other_positions",
    "indefinite_contracts",
    "fixed_term_contracts",
    "other_contracts",
    "hires",
    "separations",
)
PARTS_OF_HEADCOUNT = ("female", "over_35", "compulsory_insurance")
POSITION_TOTALS = ("managers", "high_technical", "mid_technical", "other_positions")
CONTRACT_TOTALS = ("indefinite_contracts", "fixed_term_contracts", "other_contracts")


def tax_code_check_digit(first_nine: str) -> int | None:
    """The tenth digit of a tax code whose first nine digits are given; None when no digit fits."""
    remainder = (
        sum(int(digit) * weight for digit, weight in zip(first_nine, TAX_CODE_WEIGHTS, strict=True)) % 11
    )
    check = 10 - remainder
    return check if check <= 9 else None


def normalise_tax_code(text: str) -> str:
    """A tax code as stored: "0100109106", or "0100109106-001" for a branch.

    Spaces, dots and a missing dash before the branch suffix are forgiven; a wrong length or check
    digit is not.
    """
    raw = (text or "").strip()
    digits = raw.replace(" ", "").replace(".", "").replace("-", "")
    if not digits.isdigit() or len(digits) not in (10, 13):
        raise ValidationError(
            _(
                "Mã số thuế “%(value)s” phải gồm 10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc (0100109106-001)."
            )
            % {"value": raw},
            code="tax_code_format",
        )
    expected = tax_code_check_digit(digits[:9])
    if expected is None or int(digits[9]) != expected:
        raise ValidationError(
            _("Mã số thuế “%(value)s” sai chữ số kiểm tra (chữ số thứ 10): hãy kiểm tra lại từng chữ số.")
            % {"value": raw},
            code="tax_code_check_digit",
        )
    if len(digits) == 13:
        if digits[10:] == "000":
            raise ValidationError(
                _("Mã đơn vị phụ thuộc của mã số thuế “%(value)s” phải từ 001 đến 999.") % {"value": raw},
                code="tax_code_branch",
            )
        return f"{digits[:10]}-{digits[10:]}"
    return digits


def size_band_for(headcount: int) -> str:
    for limit, band in SIZE_BAND_LIMITS:
        if headcount <= limit:
            return band
    return SizeBand.OVER_10000


def check_report_totals(totals: dict[str, int | None]) -> None:
    """A Mẫu 02/PLI is consistent: no negative count, each part at most the total, the breakdowns
    by job position and by contract type add up to the headcount."""
    problems: dict[str, list[str]] = {}
    for name in REPORT_TOTALS:
        value = totals.get(name)
        if value is None:
            problems.setdefault(name, []).append(_("Thiếu số liệu."))
        elif value < 0:
            problems.setdefault(name, []).append(_("Số lượng không được âm."))
    if problems:
        raise ValidationError(problems)
    headcount = totals["headcount"]
    for name in PARTS_OF_HEADCOUNT:
        if totals[name] > headcount:
            problems.setdefault(name, []).append(
                _("Lớn hơn tổng số lao động (%(headcount)s).") % {"headcount": headcount}
            )
    for names, label in ((POSITION_TOTALS, _("vị trí việc làm")), (CONTRACT_TOTALS, _("loại hợp đồng"))):
        parts = sum(totals[name] for name in names)
        if parts != headcount:
            problems.setdefault(names[0], []).append(
                _("Tổng theo %(breakdown)s là %(parts)s, khác tổng số lao động %(headcount)s.")
                % {"breakdown": label, "parts": parts, "headcount": headcount}
            )
    start = totals.get("start_headcount")
    if start is not None and start + totals["hires"] - totals["separations"] != headcount:
        problems.setdefault("hires", []).append(
            _("Đầu kỳ %(start)s + tăng %(hires)s − giảm %(separations)s phải bằng cuối kỳ %(headcount)s.")
            % {
                "start": start,
                "hires": totals["hires"],
                "separations": totals["separations"],
                "headcount": headcount,
            }
        )
    if problems:
        raise ValidationError(problems)


def compare_with_declared(computed: dict[str, int], declared: dict[str, int | None]) -> None:
    """The totals an employer wrote on Mẫu 02/PLI must be those of the list it uploaded with it."""
    problems = {
        name: [
            _("Mẫu 02 ghi %(declared)s nhưng danh sách từng người cho %(computed)s.")
            % {"declared": declared[name], "computed": computed[name]}
        ]
        for name in REPORT_TOTALS
        if declared.get(name) is not None and declared[name] != computed[name]
    }
    if problems:
        raise ValidationError(problems)


def check_vacancy(
    *,
    quantity: int,
    female_quantity: int,
    age_min: int | None,
    age_max: int | None,
    wage_min: int | None,
    wage_max: int | None,
    deadline: datetime.date | None,
    today: datetime.date,
    for_publication: bool,
) -> None:
    problems: dict[str, list[str]] = {}
    if quantity < 1:
        problems["quantity"] = [_("Số lượng cần tuyển phải từ 1 trở lên.")]
    elif female_quantity > quantity:
        problems["female_quantity"] = [
            _("Số lao động nữ (%(female)s) lớn hơn số lượng cần tuyển (%(quantity)s).")
            % {"female": female_quantity, "quantity": quantity}
        ]
    if age_min is not None and age_min < 15:
        problems["age_min"] = [_("Không tuyển người dưới 15 tuổi.")]
    if age_min is not None and age_max is not None and age_min > age_max:
        problems["age_max"] = [
            _("Độ tuổi bị đảo ngược: từ %(low)s đến %(high)s.") % {"low": age_min, "high": age_max}
        ]
    for name, value in (("wage_min", wage_min), ("wage_max", wage_max)):
        if value is not None and value < 0:
            problems[name] = [_("Mức lương không được âm.")]
    if wage_min is not None and wage_max is not None and wage_min > wage_max:
        problems["wage_max"] = [
            _("Khoảng lương bị đảo ngược: từ %(low)s đến %(high)s.")
            % {"low": f"{wage_min:,}".replace(",", "."), "high": f"{wage_max:,}".replace(",", ".")}
        ]
    if for_publication and deadline is not None and deadline < today:
        problems["deadline"] = [
            _("Hạn nộp hồ sơ %(deadline)s đã qua.") % {"deadline": deadline.strftime("%d/%m/%Y")}
        ]
    if problems:
        raise ValidationError(problems)
