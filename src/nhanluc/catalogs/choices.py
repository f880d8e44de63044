"""The code lists of the person record (TT 01/2022/TT-BLĐTBXH Mẫu 01 and domain brief §2).

Values are the official codes written on the form; labels are the form's Vietnamese wording.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The edition these lists follow; stored beside every code so a later form can change them.
CODE_LIST_VERSION = "TT01-2022"
VSCO_VERSION = "VSCO2020"
VSIC_VERSION = "VSIC2018"
TRAINING_FIELD_VERSION = "LFS2024"


class Sex(models.TextChoices):
    MALE = "1", _("Nam")
    FEMALE = "2", _("Nữ")


class GeneralEducation(models.TextChoices):
    NOT_COMPLETED_PRIMARY = "1", _("Chưa học xong tiểu học")
    PRIMARY = "2", _("Tốt nghiệp tiểu học")
    LOWER_SECONDARY = "3", _("Tốt nghiệp trung học cơ sở")
    UPPER_SECONDARY = "4", _("Tốt nghiệp trung học phổ thông")


class Qualification(models.TextChoices):
    """The 8 levels of technical qualification used in the Mẫu 04 tables."""

    UNTRAINED = "1", _("Chưa qua đào tạo")
    SKILLED_NO_CERTIFICATE = "2", _("Công nhân kỹ thuật không có bằng")
    UNDER_3_MONTHS = "3", _("Chứng chỉ nghề dưới 3 tháng")
    ELEMENTARY = "4", _("Sơ cấp")
    INTERMEDIATE = "5", _("Trung cấp")
    COLLEGE = "6", _("Cao đẳng")
    UNIVERSITY = "7", _("Đại học")
    POSTGRADUATE = "8", _("Trên đại học")


class ActivityStatus(models.TextChoices):
    EMPLOYED = "1", _("Có việc làm")
    UNEMPLOYED = "2", _("Thất nghiệp")
    INACTIVE = "3", _("Không tham gia hoạt động kinh tế")


class EmploymentStatus(models.TextChoices):
    EMPLOYER = "1", _("Chủ cơ sở sản xuất kinh doanh")
    OWN_ACCOUNT = "2", _("Tự làm")
    FAMILY_WORKER = "3", _("Lao động gia đình")
    EMPLOYEE = "4", _("Làm công ăn lương")
    COOPERATIVE_MEMBER = "5", _("Xã viên hợp tác xã")


class WorkplaceType(models.TextChoices):
    FARM_HOUSEHOLD = "1", _("Hộ nông, lâm nghiệp, thủy sản")
    INDIVIDUAL_BUSINESS = "2", _("Cơ sở sản xuất kinh doanh cá thể")
    FREELANCE = "3", _("Cá nhân làm tự do")
    COOPERATIVE = "4", _("Hợp tác xã")
    ENTERPRISE = "5", _("Doanh nghiệp")
    NON_STATE_PUBLIC_SERVICE = "6", _("Đơn vị sự nghiệp ngoài nhà nước")
    STATE = "7", _("Khu vực nhà nước")
    FOREIGN = "8", _("Khu vực nước ngoài")
    OTHER_ORGANISATION = "9", _("Tổ chức đoàn thể khác")


class EnterpriseOwnership(models.TextChoices):
    STATE = "1", _("Doanh nghiệp nhà nước")
    NON_STATE = "2", _("Doanh nghiệp ngoài nhà nước")
    FOREIGN_INVESTED = "3", _("Doanh nghiệp có vốn đầu tư nước ngoài")


class ContractType(models.TextChoices):
    INDEFINITE = "1", _("Hợp đồng lao động không xác định thời hạn")
    FIXED_TERM = "2", _("Hợp đồng lao động xác định thời hạn")
    NONE = "3", _("Không có hợp đồng lao động")


class SocialInsuranceType(models.TextChoices):
    COMPULSORY = "1", _("Bảo hiểm xã hội bắt buộc")
    VOLUNTARY = "2", _("Bảo hiểm xã hội tự nguyện")
    NONE = "3", _("Không tham gia")


class UnemploymentType(models.TextChoices):
    NEVER_WORKED = "1", _("Chưa bao giờ làm việc")
    WORKED_BEFORE = "2", _("Đã từng làm việc")


class UnemploymentDuration(models.TextChoices):
    UNDER_3_MONTHS = "1", _("Dưới 3 tháng")
    FROM_3_TO_12_MONTHS = "2", _("Từ 3 tháng đến 1 năm")
    OVER_1_YEAR = "3", _("Trên 1 năm")


class InactiveReason(models.TextChoices):
    STUDYING = "1", _("Đi học")
    RETIRED = "2", _("Hưu trí")
    HOUSEWORK = "3", _("Nội trợ")
    DISABILITY = "4", _("Khuyết tật")
    OTHER = "5", _("Khác")


class PriorityGroup(models.TextChoices):
    POOR_HOUSEHOLD = "1", _("Thuộc hộ nghèo")
    NEAR_POOR_HOUSEHOLD = "2", _("Thuộc hộ cận nghèo")
    DISABLED = "3", _("Người khuyết tật")
    ETHNIC_MINORITY = "4", _("Người dân tộc thiểu số")
    MERIT_RELATIVE = "5", _("Thân nhân người có công với cách mạng")
    LAND_RECOVERED = "6", _("Thuộc hộ bị thu hồi đất")


class RelationToHead(models.TextChoices):
    HEAD = "1", _("Chủ hộ")
    SPOUSE = "2", _("Vợ/Chồng")
    CHILD = "3", _("Con")
    PARENT = "4", _("Cha/Mẹ")
    GRANDPARENT = "5", _("Ông/Bà")
    SIBLING = "6", _("Anh/Chị/Em")
    GRANDCHILD = "7", _("Cháu")
    OTHER = "8", _("Khác")


class Ethnicity(models.TextChoices):
    """The 54 ethnic groups with the codes of Quyết định 121-TCTK/PPCĐ (Kinh = 01)."""

    KINH = "01", "Kinh"
    TAY = "02", "Tày"
    THAI = "03", "Thái"
    HOA = "04", "Hoa"
    KHMER = "05", "Khơ-me"
    MUONG = "06", "Mường"
    NUNG = "07", "Nùng"
    HMONG = "08", "HMông"
    DAO = "09", "Dao"
    GIA_RAI = "10", "Gia-rai"
    NGAI = "11", "Ngái"
    E_DE = "12", "Ê-đê"
    BA_NA = "13", "Ba-na"
    XO_DANG = "14", "Xơ-đăng"
    SAN_CHAY = "15", "Sán Chay"
    CO_HO = "16", "Cơ-ho"
    CHAM = "17", "Chăm"
    SAN_DIU = "18", "Sán Dìu"
    HRE = "19", "Hrê"
    MNONG = "20", "Mnông"
    RA_GLAI = "21", "Ra-glai"
    XTIENG = "22", "Xtiêng"
    BRU_VAN_KIEU = "23", "Bru-Vân Kiều"
    THO = "24", "Thổ"
    GIAY = "25", "Giáy"
    CO_TU = "26", "Cơ-tu"
    GIE_TRIENG = "27", "Giẻ-Triêng"
    MA = "28", "Mạ"
    KHO_MU = "29", "Khơ-mú"
    CO = "30", "Co"
    TA_OI = "31", "Tà-ôi"
    CHO_RO = "32", "Chơ-ro"
    KHANG = "33", "Kháng"
    XINH_MUN = "34", "Xinh-mun"
    HA_NHI = "35", "Hà Nhì"
    CHU_RU = "36", "Chu-ru"
    LAO = "37", "Lào"
    LA_CHI = "38", "La Chí"
    LA_HA = "39", "La Ha"
    PHU_LA = "40", "Phù Lá"
    LA_HU = "41", "La Hủ"
    LU = "42", "Lự"
    LO_LO = "43", "Lô Lô"
    CHUT = "44", "Chứt"
    MANG = "45", "Mảng"
    PA_THEN = "46", "Pà Thẻn"
    CO_LAO = "47", "Cờ Lao"
    CONG = "48", "Cống"
    BO_Y = "49", "Bố Y"
    SI_LA = "50", "Si La"
    PU_PEO = "51", "Pu Péo"
    BRAU = "52", "Brâu"
    O_DU = "53", "Ơ Đu"
    RO_MAM = "54", "Rơ-măm"


class OccupationLevel(models.IntegerChoices):
    MAJOR_GROUP = 1, _("Cấp 1")
    UNIT_GROUP = 4, _("Cấp 4")


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("Ngành cấp 1 (chữ cái)")
    CLASS = "4", _("Ngành cấp 4")
    SUBCLASS = "5", _("Ngành cấp 5")


# Every code list of the person record, in the order of the form: (key, title, choices).
PERSON_CODE_LISTS = (
    ("sex", _("Giới tính"), Sex),
    ("ethnicity", _("Dân tộc"), Ethnicity),
    ("relation_to_head", _("Quan hệ với chủ hộ"), RelationToHead),
    ("priority_group", _("Đối tượng ưu tiên"), PriorityGroup),
    ("general_education", _("Trình độ giáo dục phổ thông cao nhất"), GeneralEducation),
    ("qualification", _("Trình độ chuyên môn kỹ thuật cao nhất"), Qualification),
    ("activity_status", _("Tình trạng tham gia hoạt động kinh tế"), ActivityStatus),
    ("employment_status", _("Vị thế việc làm"), EmploymentStatus),
    ("workplace_type", _("Loại hình nơi làm việc"), WorkplaceType),
    ("enterprise_ownership", _("Loại hình doanh nghiệp"), EnterpriseOwnership),
    ("contract_type", _("Hợp đồng lao động"), ContractType),
    ("social_insurance_type", _("Loại bảo hiểm xã hội"), SocialInsuranceType),
    ("unemployment_type", _("Loại thất nghiệp"), UnemploymentType),
    ("unemployment_duration", _("Thời gian thất nghiệp"), UnemploymentDuration),
    ("inactive_reason", _("Lý do không tham gia hoạt động kinh tế"), InactiveReason),
)
