"""The indicator catalogue: what each figure means, where its definition comes from, how it splits.

Computed indicators are counted from the registers (`indicators/register.py`); reported ones are
entered or imported per unit and period as `DataValue`s, for figures no register holds. Codes are
stable identifiers stored in targets, reported values and the cache; never rename one.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nhanluc.catalogs.choices import (
    EmploymentStatus,
    InactiveReason,
    Qualification,
    Sex,
    UnemploymentDuration,
)
from nhanluc.core.formatting import format_number, format_percent
from nhanluc.indicators.choices import Direction, IndicatorKind, MeasureUnit, TimeAggregation
from nhanluc.registry.choices import WorkplaceLocation

LFS = _("Định nghĩa điều tra lao động việc làm của Tổng cục Thống kê (theo ILO)")
TT01 = _("Thông tư 01/2022/TT-BLĐTBXH, Mẫu 04")
NĐ145 = _("Nghị định 145/2020/NĐ-CP, báo cáo sử dụng lao động")
PROVINCE_PLAN = _("Kế hoạch phát triển kinh tế - xã hội hằng năm của tỉnh")

# The values a computed figure can be split by, with their labels.
DIMENSIONS: dict[str, tuple[Promise, dict[str, Promise]]] = {
    "sex": (_("Giới tính"), dict(Sex.choices)),
    "area": (_("Khu vực"), {"urban": _("Thành thị"), "rural": _("Nông thôn")}),
    "sector": (
        _("Khu vực kinh tế"),
        {
            "agriculture": _("Nông, lâm nghiệp và thủy sản"),
            "industry": _("Công nghiệp và xây dựng"),
            "services": _("Dịch vụ"),
            "unknown": _("Chưa xác định ngành"),
        },
    ),
    "qualification": (_("Trình độ chuyên môn kỹ thuật"), dict(Qualification.choices)),
    "employment_status": (_("Vị thế việc làm"), dict(EmploymentStatus.choices)),
    "workplace": (_("Nơi làm việc"), dict(WorkplaceLocation.choices)),
    "duration": (_("Thời gian thất nghiệp"), dict(UnemploymentDuration.choices)),
    "reason": (_("Lý do không tham gia"), dict(InactiveReason.choices)),
    "insurance": (
        _("Loại bảo hiểm xã hội"),
        {"1": _("Bắt buộc"), "2": _("Tự nguyện")},
    ),
    # VSCO 2020 level 1 (QĐ 34/2020/QĐ-TTg); "unknown" for vacancies not yet coded.
    "occupation_group": (
        _("Nhóm nghề (VSCO cấp 1)"),
        {
            "0": _("Lực lượng vũ trang"),
            "1": _("Lãnh đạo, quản lý"),
            "2": _("Nhà chuyên môn bậc cao"),
            "3": _("Nhà chuyên môn bậc trung"),
            "4": _("Nhân viên trợ lý văn phòng"),
            "5": _("Nhân viên dịch vụ và bán hàng"),
            "6": _("Lao động có kỹ năng trong nông, lâm, thủy sản"),
            "7": _("Lao động thủ công và các nghề có liên quan"),
            "8": _("Thợ lắp ráp và vận hành máy móc, thiết bị"),
            "9": _("Lao động giản đơn"),
            "unknown": _("Chưa xác định mã nghề"),
        },
    ),
    "poverty": (_("Hộ nghèo, cận nghèo"), {"poor": _("Hộ nghèo"), "near_poor": _("Hộ cận nghèo")}),
}


@dataclass(frozen=True)
class Indicator:
    code: str
    name: Promise
    definition: Promise
    source: Promise
    unit: str
    kind: str
    time: str
    direction: str = Direction.UP
    # Computed: the DIMENSIONS it is split by. Reported: its named parts ("of which female").
    breakdowns: tuple[str, ...] = ()
    parts: tuple[tuple[str, Promise], ...] = field(default=())

    @property
    def is_rate(self) -> bool:
        return self.unit == MeasureUnit.PERCENT

    @property
    def unit_label(self) -> str:
        return str(dict(MeasureUnit.choices)[self.unit])

    @property
    def is_computed(self) -> bool:
        return self.kind == IndicatorKind.COMPUTED

    def format(self, value) -> str:
        """The figure as reports print it: "46,31%" for a rate, "9.262" for a count; "" when absent."""
        if value is None:
            return ""
        return (
            format_percent(value) if self.is_rate else format_number(value, 0 if value == int(value) else 2)
        )

    def breakdown_keys(self) -> list[str]:
        """ "" for the total, then "sex:2", … or "part:female", …"""
        keys = [""]
        for dimension in self.breakdowns:
            keys.extend(f"{dimension}:{value}" for value in DIMENSIONS[dimension][1])
        keys.extend(f"part:{name}" for name, _label in self.parts)
        return keys

    def breakdown_label(self, key: str) -> str:
        if not key:
            return str(_("Tổng số"))
        dimension, _colon, value = key.partition(":")
        if dimension == "part":
            return str(dict(self.parts).get(value, value))
        labels = DIMENSIONS[dimension][1] if dimension in DIMENSIONS else {}
        return str(labels.get(value, value))


def _computed(
    code, name, definition, unit=MeasureUnit.PEOPLE, *, source=LFS, direction=Direction.UP, breakdowns=()
):
    return Indicator(
        code=code,
        name=name,
        definition=definition,
        source=source,
        unit=unit,
        kind=IndicatorKind.COMPUTED,
        time=TimeAggregation.STOCK,
        direction=direction,
        breakdowns=breakdowns,
    )


def _reported(
    code,
    name,
    definition,
    unit,
    *,
    time=TimeAggregation.FLOW,
    source=PROVINCE_PLAN,
    direction=Direction.UP,
    parts=(),
):
    return Indicator(
        code=code,
        name=name,
        definition=definition,
        source=source,
        unit=unit,
        kind=IndicatorKind.REPORTED,
        time=time,
        direction=direction,
        parts=parts,
    )


INDICATORS: tuple[Indicator, ...] = (
    _computed(
        "population_15",
        _("Dân số từ 15 tuổi trở lên"),
        _("Người từ đủ 15 tuổi trở lên thực tế thường trú trên địa bàn, theo sổ cung lao động."),
        source=TT01,
        breakdowns=("sex", "area"),
    ),
    _computed(
        "labour_force",
        _("Lực lượng lao động từ 15 tuổi trở lên"),
        _("Người từ 15 tuổi trở lên có việc làm hoặc thất nghiệp."),
        breakdowns=("sex", "area"),
    ),
    _computed(
        "participation_rate",
        _("Tỷ lệ tham gia lực lượng lao động"),
        _("Lực lượng lao động chia cho dân số từ 15 tuổi trở lên, nhân 100."),
        MeasureUnit.PERCENT,
        breakdowns=("sex", "area"),
    ),
    _computed(
        "employed",
        _("Lao động có việc làm"),
        _("Người từ 15 tuổi trở lên làm công việc tạo thu nhập trong tuần tham chiếu."),
        breakdowns=("sex", "area", "sector", "employment_status", "qualification", "workplace"),
    ),
    _computed(
        "employment_to_population",
        _("Tỷ lệ có việc làm trên dân số"),
        _("Lao động có việc làm chia cho dân số từ 15 tuổi trở lên, nhân 100."),
        MeasureUnit.PERCENT,
        breakdowns=("sex", "area"),
    ),
    _computed(
        "unemployed",
        _("Người thất nghiệp"),
        _("Người từ 15 tuổi trở lên không có việc làm, đang tìm việc và sẵn sàng làm việc."),
        direction=Direction.DOWN,
        breakdowns=("sex", "area", "qualification", "duration"),
    ),
    _computed(
        "unemployment_rate",
        _("Tỷ lệ thất nghiệp (từ 15 tuổi trở lên)"),
        _("Người thất nghiệp chia cho lực lượng lao động, nhân 100."),
        MeasureUnit.PERCENT,
        direction=Direction.DOWN,
        breakdowns=("sex", "area"),
    ),
    _computed(
        "unemployment_rate_working_age",
        _("Tỷ lệ thất nghiệp trong độ tuổi lao động"),
        _(
            "Người thất nghiệp trong độ tuổi lao động (15 tuổi đến tuổi nghỉ hưu theo Nghị định 135/2020/NĐ-CP) "
            "chia cho lực lượng lao động trong độ tuổi, nhân 100."
        ),
        MeasureUnit.PERCENT,
        direction=Direction.DOWN,
        breakdowns=("sex", "area"),
    ),
    _computed(
        "inactive",
        _("Người không tham gia hoạt động kinh tế"),
        _("Người từ 15 tuổi trở lên không có việc làm và không thất nghiệp, theo lý do."),
        direction=Direction.DOWN,
        breakdowns=("sex", "reason"),
    ),
    _computed(
        "trained_certificate_rate",
        _("Tỷ lệ lao động qua đào tạo có bằng, chứng chỉ"),
        _(
            "Lực lượng lao động có trình độ từ sơ cấp trở lên chia cho lực lượng lao động, nhân 100 "
            "(thước đo của Tổng cục Thống kê; không gộp với tỷ lệ qua đào tạo chung)."
        ),
        MeasureUnit.PERCENT,
        breakdowns=("sex", "area"),
    ),
    _computed(
        "trained_rate",
        _("Tỷ lệ lao động qua đào tạo (kể cả đào tạo dưới 3 tháng)"),
        _(
            "Lực lượng lao động đã qua đào tạo, kể cả công nhân kỹ thuật không có bằng và chứng chỉ dưới "
            "3 tháng, chia cho lực lượng lao động, nhân 100 (thước đo dùng trong chỉ tiêu của tỉnh)."
        ),
        MeasureUnit.PERCENT,
        source=PROVINCE_PLAN,
        breakdowns=("sex", "area"),
    ),
    _computed(
        "social_insurance_rate",
        _("Tỷ lệ lực lượng lao động trong độ tuổi tham gia BHXH"),
        _(
            "Lực lượng lao động trong độ tuổi tham gia BHXH bắt buộc hoặc tự nguyện, chia cho lực lượng lao động trong độ tuổi, nhân 100."
        ),
        MeasureUnit.PERCENT,
        source=_("Nghị quyết 28-NQ/TW về cải cách chính sách BHXH"),
        breakdowns=("sex", "insurance"),
    ),
    _computed(
        "unemployment_insurance_rate",
        _("Tỷ lệ lực lượng lao động trong độ tuổi tham gia BHTN"),
        _(
            "Lực lượng lao động trong độ tuổi tham gia bảo hiểm thất nghiệp, chia cho lực lượng lao động trong độ tuổi, nhân 100."
        ),
        MeasureUnit.PERCENT,
        source=_("Nghị quyết 28-NQ/TW về cải cách chính sách BHXH"),
        breakdowns=("sex",),
    ),
    _computed(
        "working_other_province",
        _("Người lao động đi làm việc ở tỉnh khác"),
        _("Người có việc làm, thường trú trên địa bàn, nơi làm việc ở tỉnh, thành phố khác."),
        source=TT01,
        breakdowns=("sex",),
    ),
    _computed(
        "working_abroad",
        _("Người lao động đang làm việc ở nước ngoài"),
        _("Người có việc làm, thường trú trên địa bàn, nơi làm việc ở nước ngoài."),
        source=TT01,
        breakdowns=("sex",),
    ),
    _computed(
        "workers_from_other_provinces",
        _("Lao động ngoại tỉnh làm việc tại doanh nghiệp trên địa bàn"),
        _("Tổng lao động ngoại tỉnh theo báo cáo sử dụng lao động mới nhất của mỗi doanh nghiệp trong kỳ."),
        source=NĐ145,
    ),
    _computed(
        "employers_reporting",
        _("Doanh nghiệp đã báo cáo sử dụng lao động"),
        _("Số doanh nghiệp nộp báo cáo tình hình sử dụng lao động của kỳ (6 tháng đầu năm hoặc cả năm)."),
        MeasureUnit.ENTERPRISES,
        source=NĐ145,
    ),
    _computed(
        "open_vacancies",
        _("Tin tuyển dụng còn hạn"),
        _("Tin tuyển dụng đã đăng và còn hạn nộp hồ sơ vào cuối kỳ, theo nhóm nghề."),
        MeasureUnit.VACANCIES,
        source=TT01,
        breakdowns=("occupation_group",),
    ),
    _computed(
        "recruitment_demand",
        _("Nhu cầu tuyển dụng"),
        _("Số vị trí cần tuyển của các tin còn hạn vào cuối kỳ, theo nhóm nghề."),
        MeasureUnit.POSITIONS,
        source=TT01,
        breakdowns=("occupation_group",),
    ),
    _computed(
        "poor_households_with_worker",
        _("Hộ nghèo, cận nghèo có thành viên trong độ tuổi có việc làm"),
        _("Hộ nghèo hoặc cận nghèo có ít nhất một thành viên trong độ tuổi lao động có việc làm."),
        MeasureUnit.HOUSEHOLDS,
        source=PROVINCE_PLAN,
        breakdowns=("poverty",),
    ),
    _reported(
        "jobs_created",
        _("Giải quyết việc làm"),
        _(
            "Số lao động được tạo việc làm mới trong kỳ, gồm việc làm trong tỉnh, qua vay vốn Quỹ quốc gia về việc làm, đi làm việc ở nước ngoài theo hợp đồng và ngoài tỉnh."
        ),
        MeasureUnit.PEOPLE,
        parts=(
            ("female", _("Trong đó: nữ")),
            ("loan", _("Qua vay vốn Quỹ quốc gia về việc làm")),
            ("overseas", _("Đi làm việc ở nước ngoài theo hợp đồng")),
        ),
    ),
    _reported(
        "training_enrolments",
        _("Tuyển sinh giáo dục nghề nghiệp"),
        _(
            "Số người được tuyển sinh đào tạo nghề nghiệp trong kỳ (cao đẳng, trung cấp, sơ cấp, dưới 3 tháng)."
        ),
        MeasureUnit.PEOPLE,
        source=_("Luật Giáo dục nghề nghiệp 2014"),
        parts=(
            ("college_intermediate", _("Trong đó: cao đẳng, trung cấp")),
            ("elementary_short", _("Sơ cấp và dưới 3 tháng")),
        ),
    ),
    _reported(
        "poverty_rate",
        _("Tỷ lệ hộ nghèo"),
        _("Số hộ nghèo chia cho tổng số hộ, nhân 100, theo chuẩn nghèo đa chiều hiện hành."),
        MeasureUnit.PERCENT,
        time=TimeAggregation.STOCK,
        direction=Direction.DOWN,
    ),
    _reported(
        "fund_mobilised",
        _("Nguồn vốn huy động cho vay giải quyết việc làm"),
        _("Vốn huy động trong kỳ để cho vay tạo việc làm qua Ngân hàng Chính sách xã hội."),
        MeasureUnit.MILLION_VND,
    ),
    _reported(
        "communes_without_social_evils",
        _("Xã, phường không có tệ nạn xã hội"),
        _("Số xã, phường được công nhận không có tệ nạn xã hội."),
        MeasureUnit.COMMUNES,
        time=TimeAggregation.STOCK,
    ),
)

BY_CODE: dict[str, Indicator] = {indicator.code: indicator for indicator in INDICATORS}

# The dashboard's headline figures, in the order leaders read them.
HEADLINE = (
    "labour_force",
    "employed",
    "unemployment_rate_working_age",
    "trained_certificate_rate",
    "social_insurance_rate",
    "jobs_created",
)


def get_indicator(code: str) -> Indicator | None:
    return BY_CODE.get(code)
