from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    COMPUTED = "computed", _("Tính từ cơ sở dữ liệu")
    REPORTED = "reported", _("Báo cáo, nhập số liệu")


class MeasureUnit(models.TextChoices):
    PEOPLE = "people", _("người")
    PERCENT = "percent", _("%")
    HOUSEHOLDS = "households", _("hộ")
    ENTERPRISES = "enterprises", _("doanh nghiệp")
    VACANCIES = "vacancies", _("tin tuyển dụng")
    POSITIONS = "positions", _("vị trí")
    MILLION_VND = "million_vnd", _("triệu đồng")
    COMMUNES = "communes", _("xã, phường")


class Direction(models.TextChoices):
    """Whether reaching more is better (jobs) or less (unemployment, poverty)."""

    UP = "up", _("Càng cao càng tốt")
    DOWN = "down", _("Càng thấp càng tốt")


class TimeAggregation(models.TextChoices):
    # A stock is measured at a date (the register's employed on 30/06); a flow accumulates over the
    # period (jobs created in the first half), so a year is the sum of its months.
    STOCK = "stock", _("Số tại thời điểm")
    FLOW = "flow", _("Số phát sinh trong kỳ")


class DataValueStatus(models.TextChoices):
    ENTERED = "entered", _("Đã nhập")
    APPROVED = "approved", _("Đã duyệt")
