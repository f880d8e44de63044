"""Indicator figures: the cache of computed values, reported values (DataValue) and targets.

Indicators themselves live in code (`catalogue.py`); rows refer to them by their stable code.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nhanluc.indicators.choices import DataValueStatus
from nhanluc.indicators.querysets import DataValueQuerySet, IndicatorValueQuerySet, TargetQuerySet


class IndicatorValue(models.Model):
    """A computed figure for one unit and period, kept until the data behind it change.

    Units are current-scheme codes (the province or a commune); the former units are recast from the
    communes' rows (`legacy.py`). Rates keep their numerator and denominator so that communes add up
    to the province and to the former units exactly, not as an average of percentages.
    """

    indicator_code = models.CharField(_("chỉ tiêu"), max_length=48)
    breakdown = models.CharField(_("phân tổ"), max_length=48, blank=True)
    unit_code = models.CharField(_("đơn vị"), max_length=5)
    province_code = models.CharField(max_length=2)
    period_code = models.CharField(_("kỳ"), max_length=12)
    numerator = models.BigIntegerField()
    denominator = models.BigIntegerField(null=True, blank=True)
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=4)
    # When the computation started: a change noted after it makes the figure stale.
    computed_at = models.DateTimeField()

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("giá trị chỉ tiêu đã tính")
        verbose_name_plural = _("giá trị chỉ tiêu đã tính")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_code", "breakdown", "unit_code", "period_code"],
                name="indicators_value_key",
            )
        ]
        indexes = [models.Index(fields=["province_code", "period_code"], name="indicators_value_period")]

    def __str__(self):
        return f"{self.indicator_code} {self.breakdown} {self.unit_code} {self.period_code} = {self.value}"


class DataValue(models.Model):
    """A reported figure for one unit and period (DHIS2's data value): entered, then approved and locked."""

    indicator_code = models.CharField(_("chỉ tiêu"), max_length=48)
    breakdown = models.CharField(_("phân tổ"), max_length=48, blank=True)
    unit_code = models.CharField(_("đơn vị"), max_length=5)
    province_code = models.CharField(max_length=2)
    period_code = models.CharField(_("kỳ"), max_length=12)
    value = models.DecimalField(_("giá trị"), max_digits=18, decimal_places=2)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=DataValueStatus.choices, default=DataValueStatus.ENTERED
    )
    comment = models.CharField(_("ghi chú"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("nhập lúc"), auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)

    objects = DataValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = _("số liệu báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_code", "breakdown", "unit_code", "period_code"],
                name="indicators_datavalue_key",
            )
        ]
        ordering = ["period_code", "indicator_code", "unit_code", "breakdown"]

    def __str__(self):
        return f"{self.indicator_code} {self.breakdown} {self.unit_code} {self.period_code} = {self.value}"

    @property
    def is_locked(self) -> bool:
        return self.status == DataValueStatus.APPROVED


class Target(models.Model):
    """The year's plan (chỉ tiêu kế hoạch) for an indicator in a unit, or for one of its named parts."""

    indicator_code = models.CharField(_("chỉ tiêu"), max_length=48)
    breakdown = models.CharField(_("phân tổ"), max_length=48, blank=True)
    unit_code = models.CharField(_("đơn vị"), max_length=5)
    province_code = models.CharField(max_length=2)
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("kế hoạch"), max_digits=18, decimal_places=2)
    note = models.CharField(_("căn cứ, ghi chú"), max_length=255, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu kế hoạch")
        verbose_name_plural = _("chỉ tiêu kế hoạch")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_code", "breakdown", "unit_code", "year"], name="indicators_target_key"
            )
        ]
        ordering = ["year", "indicator_code", "unit_code", "breakdown"]

    def __str__(self):
        return f"{self.indicator_code} {self.breakdown} {self.unit_code} {self.year} = {self.value}"
