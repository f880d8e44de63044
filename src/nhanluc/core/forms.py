from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from nhanluc.core import services
from nhanluc.core.choices import AccessKind, AuditAction


def client_address(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form, refusing further tries after repeated failures and auditing each one."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút hoặc liên hệ quản trị viên."
        ),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request)
        if username and services.login_is_throttled(username=username, client_address=address):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                services.record_login_failure(username=username, client_address=address)
            raise
        user = self.get_user()
        if user is not None:  # None when a field was left empty: the form shows that error
            services.record_login(user=user, client_address=address)
        return cleaned


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Hành động"), required=False, choices=[("", _("Tất cả")), *AuditAction.choices]
    )
    object_type = forms.CharField(label=_("Loại đối tượng"), required=False)
    actor = forms.CharField(label=_("Người thực hiện"), required=False)
    since = forms.DateField(label=_("Từ ngày"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    until = forms.DateField(label=_("Đến ngày"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])


class AccessFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại truy cập"), required=False, choices=[("", _("Tất cả")), *AccessKind.choices]
    )
    object_type = forms.CharField(label=_("Loại dữ liệu"), required=False)
    actor = forms.CharField(label=_("Người truy cập"), required=False)
    since = forms.DateField(label=_("Từ ngày"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
    until = forms.DateField(label=_("Đến ngày"), required=False, input_formats=["%d/%m/%Y", "%Y-%m-%d"])
