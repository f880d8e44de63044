from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from nhanluc.geo.models import AdminUnit
from nhanluc.indicators.catalogue import INDICATORS


def unit_choices(user=None) -> list[tuple[str, str]]:
    """The province first, then its communes; a commune officer only their own commune."""
    province = settings.NHANLUC_PROVINCE
    communes = AdminUnit.objects.current().filter(level="commune", province_code=province).order_by("name")
    if user is not None and user.role == "commune_officer" and not user.is_superuser:
        return list(communes.filter(code=user.commune_code).values_list("code", "name"))
    name = (
        AdminUnit.objects.current()
        .filter(level="province", code=province)
        .values_list("name", flat=True)
        .first()
    )
    return [(province, name or province), *communes.values_list("code", "name")]


def _indicator_choices(*, reported_only: bool = False) -> list[tuple[str, str]]:
    return [
        (indicator.code, indicator.name)
        for indicator in INDICATORS
        if not reported_only or not indicator.is_computed
    ]


def _breakdown_choices(*, reported_only: bool) -> list[tuple[str, str]]:
    choices = [("", _("Tổng số"))]
    for indicator in INDICATORS:
        if reported_only and indicator.is_computed:
            continue
        for key in indicator.breakdown_keys()[1:]:
            if key not in dict(choices):
                choices.append((key, indicator.breakdown_label(key)))
    return choices


class TargetForm(forms.Form):
    indicator_code = forms.ChoiceField(label=_("Chỉ tiêu"))
    unit_code = forms.ChoiceField(label=_("Đơn vị"))
    breakdown = forms.ChoiceField(label=_("Phân tổ"), required=False)
    # Text, not a number field: the service reads "1.200" or "2,5" as officers type them.
    value = forms.CharField(label=_("Kế hoạch"), max_length=32)
    note = forms.CharField(label=_("Căn cứ, ghi chú"), required=False, max_length=255)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = _indicator_choices()
        self.fields["unit_code"].choices = unit_choices(user)
        self.fields["breakdown"].choices = _breakdown_choices(reported_only=False)


class DataValueForm(forms.Form):
    indicator_code = forms.ChoiceField(label=_("Chỉ tiêu"))
    unit_code = forms.ChoiceField(label=_("Đơn vị"))
    period_code = forms.CharField(
        label=_("Kỳ"), max_length=12, help_text=_("2026, 2026-H1, 2026-Q2 hoặc 2026-M05")
    )
    breakdown = forms.ChoiceField(label=_("Phân tổ"), required=False)
    value = forms.CharField(label=_("Giá trị"), max_length=32)
    comment = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator_code"].choices = _indicator_choices(reported_only=True)
        self.fields["unit_code"].choices = unit_choices(user)
        self.fields["breakdown"].choices = _breakdown_choices(reported_only=True)
