from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The users of DESIGN.md §6, each with the scope their data access is limited to."""

    PROVINCE_ADMIN = "province_admin", _("Quản trị cấp tỉnh")
    PROVINCE_ANALYST = "province_analyst", _("Chuyên viên phân tích cấp tỉnh")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ cấp xã")
    CENTRE_STAFF = "centre_staff", _("Nhân viên Trung tâm Dịch vụ việc làm")
    INSTITUTION_STAFF = "institution_staff", _("Cán bộ cơ sở giáo dục nghề nghiệp")
    EMPLOYER = "employer", _("Doanh nghiệp, người sử dụng lao động")
    JOB_SEEKER = "job_seeker", _("Người tìm việc")
    AGENCY = "agency", _("Cơ quan khai thác dữ liệu (API)")


# Roles whose scope is the whole province of the deployment.
PROVINCE_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.PROVINCE_ANALYST, Role.CENTRE_STAFF, Role.AGENCY})


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang chạy")
    SUCCEEDED = "succeeded", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Thêm mới")
    UPDATE = "update", _("Cập nhật")
    DELETE = "delete", _("Xóa")
    LOAD = "load", _("Nạp dữ liệu")
    LOGIN = "login", _("Đăng nhập")
    LOGIN_FAILED = "login_failed", _("Đăng nhập thất bại")
    LOGOUT = "logout", _("Đăng xuất")


class AccessKind(models.TextChoices):
    VIEW = "view", _("Xem")
    SEARCH = "search", _("Tìm kiếm")
    EXPORT = "export", _("Xuất dữ liệu")
