from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from nhanluc.core.choices import AccessKind, AuditAction, JobStatus, Role
from nhanluc.core.querysets import ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    readable_by = frozenset({Role.PROVINCE_ADMIN})
    province_lookup = "province_code"


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in. The scope fields say which rows `visible_to` lets them read.

    Scopes are stored as plain codes and ids, not foreign keys, because core depends on no domain
    app; each domain's queryset knows how its rows relate to these values.
    """

    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices, blank=True)
    province_code = models.CharField(_("mã tỉnh"), max_length=2, blank=True)
    commune_code = models.CharField(_("mã xã"), max_length=5, blank=True)
    employer_id = models.BigIntegerField(_("doanh nghiệp"), null=True, blank=True)
    institution_id = models.BigIntegerField(_("cơ sở đào tạo"), null=True, blank=True)
    person_id = models.BigIntegerField(_("người lao động"), null=True, blank=True)

    objects = ScopedUserManager()

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        # Vietnamese names read family name first: "Nguyễn Văn" + "An" → "Nguyễn Văn An".
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def is_province_admin(self) -> bool:
        return self.is_superuser or self.role == Role.PROVINCE_ADMIN


class AuditEventQuerySet(ScopedQuerySet):
    readable_by = frozenset({Role.PROVINCE_ADMIN})
    province_lookup = "province_code"


class AuditEvent(models.Model):
    """Who changed what, when, from which value to which, and through which channel.

    Written explicitly by service functions (bulk writes included), never by signals.
    """

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("hành động"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("loại đối tượng"), max_length=64)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    changes = models.JSONField(_("thay đổi (cũ → mới)"), default=dict, blank=True)
    source = models.CharField(_("nguồn"), max_length=64, blank=True)
    province_code = models.CharField(max_length=2, blank=True)
    commune_code = models.CharField(max_length=5, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["action", "object_id", "at"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"


class AccessLogQuerySet(ScopedQuerySet):
    readable_by = frozenset({Role.PROVINCE_ADMIN})
    province_lookup = "province_code"


class AccessLog(models.Model):
    """Every view, search or export of personal records: who, which records, for what purpose."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người truy cập"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("loại truy cập"), max_length=16, choices=AccessKind.choices)
    purpose = models.CharField(_("mục đích"), max_length=255)
    object_type = models.CharField(_("loại dữ liệu"), max_length=64)
    object_ids = models.JSONField(_("bản ghi"), default=list, blank=True)
    record_count = models.PositiveIntegerField(_("số bản ghi"), default=0)
    query = models.JSONField(_("điều kiện lọc"), default=dict, blank=True)
    province_code = models.CharField(max_length=2, blank=True)
    commune_code = models.CharField(max_length=5, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhật ký truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        indexes = [models.Index(fields=["object_type", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} {self.object_type} ×{self.record_count}"


class JobQuerySet(ScopedQuerySet):
    readable_by = frozenset({Role.PROVINCE_ADMIN})
    province_lookup = "province_code"

    def visible_to(self, user) -> "JobQuerySet":
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or user.role == Role.PROVINCE_ADMIN:
            return super().visible_to(user)
        # Everyone else follows only the jobs they started.
        return self.filter(created_by=user)


class Job(models.Model):
    """The status row of a background job: what the user watches while an import or report runs."""

    kind = models.CharField(_("loại công việc"), max_length=100)
    label = models.CharField(_("mô tả"), max_length=255)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="jobs",
    )
    province_code = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(null=True, blank=True)
    message = models.CharField(_("thông báo"), max_length=255, blank=True)
    result = models.JSONField(_("kết quả"), default=dict, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("công việc nền")
        verbose_name_plural = _("công việc nền")
        ordering = ["-created_at"]

    def __str__(self):
        return self.label

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def percent(self) -> float | None:
        if not self.progress_total:
            return 100.0 if self.status == JobStatus.SUCCEEDED else None
        return min(100.0, 100.0 * self.progress_done / self.progress_total)


class DataChangeQuerySet(ScopedQuerySet):
    readable_by = frozenset({Role.PROVINCE_ADMIN})
    province_lookup = "province_code"


class DataChange(models.Model):
    """When a domain's data last changed in an area: caches of figures computed from them compare to it.

    Domains note their writes here (`core.services.note_data_change`) without knowing who computes
    from them; `unit_code` "" means the change may touch any unit of the province.
    """

    domain = models.CharField(max_length=32)
    province_code = models.CharField(max_length=2)
    unit_code = models.CharField(max_length=5, blank=True)
    changed_at = models.DateTimeField()

    objects = DataChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("thay đổi dữ liệu")
        verbose_name_plural = _("thay đổi dữ liệu")
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "province_code", "unit_code"], name="core_datachange_key"
            )
        ]

    def __str__(self):
        return f"{self.domain} {self.province_code} {self.unit_code} {self.changed_at:%Y-%m-%d %H:%M:%S}"
