from django.db import models
from django.utils.translation import gettext_lazy as _

from nhanluc.geo.choices import Level, Scheme
from nhanluc.geo.querysets import AdminUnitQuerySet, UnitSuccessionQuerySet


class AdminUnit(models.Model):
    """A province, district or commune of one scheme: the 2025 two-tier units or the legacy ones.

    Codes are reused with new meanings across schemes (new province 15 is Lào Cai, legacy 15 is
    Yên Bái), so a unit is identified by (scheme, code), never by its code alone.
    """

    scheme = models.CharField(_("hệ thống"), max_length=8, choices=Scheme.choices)
    code = models.CharField(_("mã"), max_length=5)
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    division_type = models.CharField(_("loại đơn vị"), max_length=32)
    name = models.CharField(_("tên"), max_length=128)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province_code = models.CharField(_("mã tỉnh"), max_length=2, db_index=True)
    search_name = models.CharField(max_length=128, db_index=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        # Codes are zero-padded to their level's width (2, 3, 5 digits), so (scheme, code) is unique.
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="geo_unit_scheme_code")]
        indexes = [models.Index(fields=["scheme", "level", "province_code"])]
        ordering = ["scheme", "code"]

    def __str__(self):
        return self.name


class UnitSuccession(models.Model):
    """A legacy unit that became (all or part of) a current unit on 01/07/2025.

    `partial` means the legacy unit was split: only part of it went to this successor, so a record
    addressed to it cannot be converted without more detail (street, hamlet) or a person's review.
    """

    old = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="successions")
    new = models.ForeignKey(AdminUnit, on_delete=models.CASCADE, related_name="predecessions")
    partial = models.BooleanField(_("nhập một phần"), default=False)

    objects = UnitSuccessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế thừa đơn vị hành chính")
        verbose_name_plural = _("kế thừa đơn vị hành chính")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="geo_succession_old_new")]

    def __str__(self):
        return f"{self.old} → {self.new}{' (một phần)' if self.partial else ''}"
