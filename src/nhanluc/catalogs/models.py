from django.db import models
from django.utils.translation import gettext_lazy as _

from nhanluc.catalogs.choices import IndustryLevel, OccupationLevel
from nhanluc.catalogs.querysets import CatalogQuerySet
from nhanluc.core.querysets import ReferenceQuerySet


class Occupation(models.Model):
    """A VSCO 2020 occupation group (QĐ 34/2020/QĐ-TTg): level 1 (0–9) or level 4 (4 digits)."""

    version = models.CharField(_("phiên bản"), max_length=16)
    code = models.CharField(_("mã"), max_length=5)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=OccupationLevel.choices)
    name = models.CharField(_("tên"), max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    search_name = models.CharField(max_length=255, editable=False)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        verbose_name = _("nghề nghiệp (VSCO)")
        verbose_name_plural = _("nghề nghiệp (VSCO)")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="catalogs_occupation_version_code")
        ]
        ordering = ["version", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class OccupationTitle(models.Model):
    """An official job title of a level-4 occupation (the first one is the group's own name)."""

    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="titles")
    title = models.CharField(_("chức danh"), max_length=255)
    search_title = models.CharField(max_length=255, editable=False)
    is_official_name = models.BooleanField(default=False)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức danh nghề")
        verbose_name_plural = _("chức danh nghề")
        constraints = [models.UniqueConstraint(fields=["occupation", "title"], name="catalogs_title_unique")]

    def __str__(self):
        return self.title


class Industry(models.Model):
    """A VSIC 2018 industry (QĐ 27/2018/QĐ-TTg): section letter, level 4 or level 5.

    Codes are keyed by version because VSIC 2025 reuses numbers with other meanings.
    """

    version = models.CharField(_("phiên bản"), max_length=16)
    code = models.CharField(_("mã"), max_length=5)
    level = models.CharField(_("cấp"), max_length=8, choices=IndustryLevel.choices)
    name = models.CharField(_("tên"), max_length=512)
    keywords = models.TextField(_("sản phẩm, từ khóa"), blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    search_name = models.CharField(max_length=512, editable=False)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngành kinh tế (VSIC)")
        verbose_name_plural = _("ngành kinh tế (VSIC)")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="catalogs_industry_version_code")
        ]
        ordering = ["version", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class TrainingField(models.Model):
    """A 4-digit field of education and training, as the Labour Force Survey codes it."""

    version = models.CharField(_("phiên bản"), max_length=16)
    code = models.CharField(_("mã"), max_length=4)
    name = models.CharField(_("tên"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False)

    objects = CatalogQuerySet.as_manager()

    class Meta:
        verbose_name = _("ngành đào tạo")
        verbose_name_plural = _("ngành đào tạo")
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="catalogs_training_version_code")
        ]
        ordering = ["version", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"
