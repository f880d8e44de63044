import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    CURRENT = "2025", _("Từ 01/7/2025 (2 cấp)")
    LEGACY = "legacy", _("Trước 01/7/2025 (3 cấp)")


class Level(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Quận, huyện")
    COMMUNE = "commune", _("Xã, phường")


# The two-tier local government of Nghị quyết 202/2025/QH15 took office on this day.
REFORM_DATE = datetime.date(2025, 7, 1)
LEGACY_LAST_DAY = datetime.date(2025, 6, 30)
