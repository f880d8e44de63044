"""The fields of a person record as the survey, the flat template, the forms and the API name them.

One row of Mẫu 01 (TT 01/2022) in the order of the flat template, with the code list each coded
field takes its answers from; the rules (`registry.rules`), the workbook reader and the forms all
read them from here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from nhanluc.catalogs import choices as codes

TICK_SEPARATOR = "|"  # the reader joins several ticked answers of one question with it


@dataclass(frozen=True)
class Field:
    key: str
    heading: str  # the column heading of the flat template, in Vietnamese
    choices: type | None = None
    max_length: int = 255
    multiple: bool = False


# The person record in the order of the flat template (domain brief §2; TT 01/2022 Mẫu 01).
FIELDS = (
    Field("commune_code", gettext_noop("Mã xã nơi ở"), max_length=5),
    Field("hamlet", gettext_noop("Thôn, tổ dân phố"), max_length=100),
    Field("household_number", gettext_noop("Số hộ"), max_length=32),
    Field("relation_to_head", gettext_noop("Quan hệ với chủ hộ"), codes.RelationToHead),
    Field("full_name", gettext_noop("Họ và tên"), max_length=100),
    Field("birth_date", gettext_noop("Ngày sinh"), max_length=32),
    Field("sex", gettext_noop("Giới tính"), codes.Sex),
    Field("cccd", gettext_noop("Số CCCD"), max_length=32),
    Field("bhxh_number", gettext_noop("Mã số BHXH"), max_length=32),
    Field("phone", gettext_noop("Điện thoại"), max_length=32),
    Field("permanent_address", gettext_noop("Nơi thường trú")),
    Field("current_address", gettext_noop("Nơi ở hiện tại")),
    Field("priority_groups", gettext_noop("Đối tượng ưu tiên"), codes.PriorityGroup, multiple=True),
    Field("ethnicity", gettext_noop("Dân tộc"), codes.Ethnicity),
    Field("general_education", gettext_noop("Trình độ giáo dục phổ thông"), codes.GeneralEducation),
    Field("qualification", gettext_noop("Trình độ chuyên môn kỹ thuật"), codes.Qualification),
    Field("training_field", gettext_noop("Chuyên ngành đào tạo")),
    Field("activity_status", gettext_noop("Tình trạng hoạt động kinh tế"), codes.ActivityStatus),
    Field("employment_status", gettext_noop("Vị thế việc làm"), codes.EmploymentStatus),
    Field("job_title", gettext_noop("Công việc cụ thể")),
    Field("occupation_code", gettext_noop("Mã nghề"), max_length=5),
    Field("industry_code", gettext_noop("Mã ngành"), max_length=5),
    Field("social_insurance_type", gettext_noop("Tham gia BHXH"), codes.SocialInsuranceType),
    Field("unemployment_insurance", gettext_noop("Tham gia BHTN"), max_length=16),
    Field("contract_type", gettext_noop("Hợp đồng lao động"), codes.ContractType),
    Field("workplace_name", gettext_noop("Nơi làm việc")),
    Field("workplace_type", gettext_noop("Loại hình nơi làm việc"), codes.WorkplaceType),
    Field("enterprise_ownership", gettext_noop("Loại hình doanh nghiệp"), codes.EnterpriseOwnership),
    Field("workplace_address", gettext_noop("Địa chỉ nơi làm việc")),
    Field("industrial_zone", gettext_noop("Làm việc trong khu công nghiệp"), max_length=16),
    Field("unemployment_type", gettext_noop("Loại thất nghiệp"), codes.UnemploymentType),
    Field("unemployment_duration", gettext_noop("Thời gian thất nghiệp"), codes.UnemploymentDuration),
    Field("inactive_reason", gettext_noop("Lý do không tham gia hoạt động kinh tế"), codes.InactiveReason),
    Field("training_need", gettext_noop("Nhu cầu đào tạo")),
    Field("job_need", gettext_noop("Nhu cầu việc làm")),
)
FIELDS_BY_KEY = {spec.key: spec for spec in FIELDS}

# Answers the short forms of which officers write instead of the printed label.
SYNONYMS = {
    "social_insurance_type": {"bat buoc": "1", "tu nguyen": "2", "khong": "3", "khong tham gia": "3"},
    "contract_type": {
        "khong xac dinh thoi han": "1",
        "kxdth": "1",
        "xac dinh thoi han": "2",
        "xdth": "2",
        "khong": "3",
        "khong co": "3",
    },
    "sex": {"nam": "1", "nu": "2", "male": "1", "female": "2"},
}

EMPLOYMENT_FIELDS = (
    "employment_status",
    "job_title",
    "industry_code",
    "contract_type",
    "workplace_name",
    "workplace_type",
    "enterprise_ownership",
    "workplace_address",
)
UNEMPLOYMENT_FIELDS = ("unemployment_type", "unemployment_duration")
