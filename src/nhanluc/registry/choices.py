from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    """Where a labour situation came from."""

    SURVEY = "survey", _("Điều tra theo kỳ")
    UPDATE = "update", _("Cập nhật biến động")
    IMPORT = "import", _("Nhập từ tệp")
    SELF_REGISTRATION = "self", _("Người lao động tự đăng ký")
    EMPLOYER_REPORT = "employer", _("Báo cáo của doanh nghiệp (đã được cán bộ chấp nhận)")


class ChangeKind(models.TextChoices):
    """The kinds of change officers report between survey rounds (loại biến động)."""

    INCREASE = "increase", _("Tăng")
    DECREASE = "decrease", _("Giảm")
    UPDATE = "update", _("Cập nhật")


class DecreaseReason(models.TextChoices):
    MOVED_AWAY = "moved", _("Chuyển đi nơi khác")
    DECEASED = "deceased", _("Chết")
    OTHER = "other", _("Khác")


class WorkplaceLocation(models.TextChoices):
    IN_PROVINCE = "1", _("Trong tỉnh")
    OTHER_PROVINCE = "2", _("Tỉnh khác")
    ABROAD = "3", _("Nước ngoài")


class PovertyStatus(models.TextChoices):
    NONE = "", _("Không")
    POOR = "poor", _("Hộ nghèo")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo")


class AgeBand(models.TextChoices):
    FROM_15_TO_24 = "15-24", _("15–24 tuổi")
    FROM_25_TO_34 = "25-34", _("25–34 tuổi")
    FROM_35_TO_44 = "35-44", _("35–44 tuổi")
    FROM_45_TO_54 = "45-54", _("45–54 tuổi")
    FROM_55_TO_64 = "55-64", _("55–64 tuổi")
    FROM_65 = "65+", _("65 tuổi trở lên")


class ImportLayout(models.TextChoices):
    SURVEY_CODES = "mau01_codes", _("Mẫu 01 — cột mã")
    SURVEY_TICKS = "mau01_ticks", _("Mẫu 01 — ô đánh dấu")
    FLAT = "flat", _("Mẫu phẳng (một dòng tiêu đề)")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("Chỉ nhập khi toàn bộ tệp hợp lệ")
    VALID_ROWS = "valid", _("Nhập các dòng hợp lệ, trả lại các dòng lỗi")


class BatchStatus(models.TextChoices):
    VALIDATING = "validating", _("Đang kiểm tra")
    REFUSED = "refused", _("Bị từ chối")
    COMMITTED = "committed", _("Đã nhập")
    PARTIAL = "partial", _("Đã nhập các dòng hợp lệ")
    FAILED = "failed", _("Lỗi hệ thống")


class ErrorCategory(models.TextChoices):
    """The error categories commune officers already count, plus the technical ones."""

    CCCD = "cccd", _("CCCD")
    NAME = "name", _("Họ tên")
    BIRTH_DATE = "birth_date", _("Ngày sinh")
    STATUS = "status", _("Theo tình trạng hoạt động")
    CODE = "code", _("Mã không hợp lệ")
    DUPLICATE = "duplicate", _("Trùng lặp")
    ADDRESS = "address", _("Địa chỉ")
    CONTACT = "contact", _("Điện thoại, số BHXH")
    FILE = "file", _("Tệp, ô dữ liệu")


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("Chờ xử lý")
    RESOLVED = "resolved", _("Đã xử lý")
