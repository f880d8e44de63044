from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "nhanluc.employers"
    verbose_name = _("Nhu cầu lao động")
