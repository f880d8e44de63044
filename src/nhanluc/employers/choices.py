from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    """Legal forms of the employers a province records (Luật Doanh nghiệp 2020, Luật Hợp tác xã 2023)."""

    PRIVATE_ENTERPRISE = "dntn", _("Doanh nghiệp tư nhân")
    LIMITED_COMPANY = "tnhh", _("Công ty trách nhiệm hữu hạn")
    JOINT_STOCK = "cp", _("Công ty cổ phần")
    PARTNERSHIP = "hd", _("Công ty hợp danh")
    COOPERATIVE = "htx", _("Hợp tác xã")
    HOUSEHOLD_BUSINESS = "hkd", _("Hộ kinh doanh")
    PUBLIC_BODY = "cq", _("Cơ quan, đơn vị sự nghiệp")
    OTHER = "khac", _("Tổ chức khác")


class SizeBand(models.TextChoices):
    """Workforce size bands of Mẫu 02 TT 01/2022."""

    UNDER_10 = "1", _("Dưới 10 người")
    FROM_10 = "2", _("10–50 người")
    FROM_51 = "3", _("51–100 người")
    FROM_101 = "4", _("101–200 người")
    FROM_201 = "5", _("201–500 người")
    FROM_501 = "6", _("500–1.000 người")
    FROM_1001 = "7", _("1.000–3.000 người")
    FROM_3001 = "8", _("3.000–10.000 người")
    OVER_10000 = "9", _("Trên 10.000 người")


# Upper bound of each band, for telling the band from a headcount.
SIZE_BAND_LIMITS = (
    (9, SizeBand.UNDER_10),
    (50, SizeBand.FROM_10),
    (100, SizeBand.FROM_51),
    (200, SizeBand.FROM_101),
    (500, SizeBand.FROM_201),
    (1000, SizeBand.FROM_501),
    (3000, SizeBand.FROM_1001),
    (10000, SizeBand.FROM_3001),
)


class AccountStatus(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Từ chối")


class ReportPeriod(models.TextChoices):
    """The two reports of NĐ 145/2020 Điều 4: half-year (due before 5 June) and year (before 5 December)."""

    HALF_YEAR = "h1", _("6 tháng đầu năm")
    YEAR = "year", _("Cả năm")


class ReportKind(models.TextChoices):
    PER_WORKER = "per_worker", _("Danh sách từng người lao động (Mẫu 01/PLI)")
    AGGREGATE = "aggregate", _("Số liệu tổng hợp (Mẫu 02/PLI)")


class ReportStatus(models.TextChoices):
    FILED = "filed", _("Đã nộp")
    REPLACED = "replaced", _("Đã được thay thế")


class JobPosition(models.TextChoices):
    """Job positions of Mẫu 01/PLI NĐ 145/2020."""

    MANAGER = "1", _("Nhà quản lý")
    HIGH_TECHNICAL = "2", _("Chuyên môn kỹ thuật bậc cao")
    MID_TECHNICAL = "3", _("Chuyên môn kỹ thuật bậc trung")
    OTHER = "4", _("Khác")


class WorkerContract(models.TextChoices):
    """Contract types of Mẫu 01/PLI: the third covers contracts under a month and probation."""

    INDEFINITE = "1", _("Không xác định thời hạn")
    FIXED_TERM = "2", _("Xác định thời hạn")
    OTHER = "3", _("Khác (dưới 1 tháng, thử việc)")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Chờ xem xét")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    REJECTED = "rejected", _("Đã từ chối")


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    PUBLISHED = "published", _("Đang tuyển")
    FILLED = "filled", _("Đã tuyển đủ")
    EXPIRED = "expired", _("Hết hạn")


class VacancySource(models.TextChoices):
    PORTAL = "portal", _("Doanh nghiệp đăng trên cổng")
    STAFF = "staff", _("Trung tâm nhập")
    CAREERBUILDER = "careerbuilder", "CareerBuilder"
    CAREERVIET = "careerviet", "CareerViet"
    TOPCV = "topcv", "TopCV"
    VIETNAMWORKS = "vietnamworks", "VietnamWorks"
    ITVIEC = "itviec", "ITviec"
    TEMPLATE = "template", _("Tệp mẫu")


class WageCurrency(models.TextChoices):
    VND = "VND", "VND"
    USD = "USD", "USD"
