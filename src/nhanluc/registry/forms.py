from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhanluc.catalogs import choices as codes
from nhanluc.core.choices import Role
from nhanluc.geo.models import AdminUnit
from nhanluc.registry.choices import AgeBand, DecreaseReason, ImportLayout, ImportMode, WorkplaceLocation
from nhanluc.registry.fields import FIELDS
from nhanluc.registry.models import LaborSituation, Person, SurveyRound

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
ALL = [("", _("Tất cả"))]
YES_NO = [*ALL, ("yes", _("Có tham gia")), ("no", _("Không tham gia"))]


def commune_choices(user) -> list[tuple[str, str]]:
    """The communes a user works in: their own, or every commune of the province."""
    communes = AdminUnit.objects.current().communes().filter(province_code=settings.NHANLUC_PROVINCE)
    if user.role == Role.COMMUNE_OFFICER:
        communes = communes.filter(code=user.commune_code)
    return list(communes.order_by("name").values_list("code", "name"))


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Họ tên hoặc số CCCD"), required=False, max_length=100)
    commune = forms.ChoiceField(label=_("Xã, phường"), required=False)
    as_of = forms.DateField(
        label=_("Tại ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"), required=False, choices=[*ALL, *codes.ActivityStatus.choices]
    )
    sex = forms.ChoiceField(label=_("Giới tính"), required=False, choices=[*ALL, *codes.Sex.choices])
    age_band = forms.ChoiceField(label=_("Nhóm tuổi"), required=False, choices=[*ALL, *AgeBand.choices])
    qualification = forms.ChoiceField(
        label=_("Trình độ CMKT"), required=False, choices=[*ALL, *codes.Qualification.choices]
    )
    social_insurance = forms.ChoiceField(label=_("BHXH"), required=False, choices=YES_NO)
    unemployment_insurance = forms.ChoiceField(label=_("BHTN"), required=False, choices=YES_NO)
    workplace_location = forms.ChoiceField(
        label=_("Nơi làm việc"), required=False, choices=[*ALL, *WorkplaceLocation.choices]
    )
    priority_group = forms.ChoiceField(
        label=_("Đối tượng ưu tiên"), required=False, choices=[*ALL, *codes.PriorityGroup.choices]
    )
    include_left = forms.BooleanField(label=_("Gồm cả người đã ghi giảm"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.role == Role.COMMUNE_OFFICER:
            del self.fields["commune"]
        else:
            self.fields["commune"].choices = [*ALL, *commune_choices(user)]


def _choice_field(spec, label):
    return forms.ChoiceField(label=label, required=False, choices=[("", "—"), *spec.choices.choices])


class PersonForm(forms.Form):
    """A person's record, field for field as on the survey form; the register's rules check it."""

    valid_from = forms.DateField(
        label=_("Ngày hiệu lực"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Ngày thông tin này bắt đầu đúng (ngày phát sinh biến động)."),
    )

    # Sections of the page: (title, field keys).
    SECTIONS = (
        (
            _("Thông tin cá nhân"),
            (
                "full_name",
                "cccd",
                "birth_date",
                "sex",
                "ethnicity",
                "phone",
                "bhxh_number",
                "priority_groups",
            ),
        ),
        (
            _("Hộ gia đình và nơi ở"),
            (
                "commune_code",
                "hamlet",
                "household_number",
                "relation_to_head",
                "current_address",
                "permanent_address",
            ),
        ),
        (_("Trình độ"), ("general_education", "qualification", "training_field")),
        (_("Tình trạng hoạt động kinh tế"), ("activity_status",)),
        (
            _("Người có việc làm"),
            (
                "employment_status",
                "job_title",
                "occupation_code",
                "industry_code",
                "social_insurance_type",
                "unemployment_insurance",
                "contract_type",
                "workplace_name",
                "workplace_type",
                "enterprise_ownership",
                "workplace_address",
                "industrial_zone",
            ),
        ),
        (_("Người thất nghiệp"), ("unemployment_type", "unemployment_duration")),
        (_("Không tham gia hoạt động kinh tế"), ("inactive_reason",)),
        (_("Nhu cầu"), ("training_need", "job_need")),
    )
    STATUS_OF_SECTION = {4: "1", 5: "2", 6: "3"}

    def __init__(self, *args, user, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {spec.key: _(spec.heading) for spec in FIELDS}
        for spec in FIELDS:
            if spec.key == "priority_groups":
                field = forms.MultipleChoiceField(
                    label=labels[spec.key],
                    required=False,
                    choices=codes.PriorityGroup.choices,
                    widget=forms.CheckboxSelectMultiple,
                )
            elif spec.key in ("unemployment_insurance", "industrial_zone"):
                field = forms.BooleanField(label=labels[spec.key], required=False)
            elif spec.key == "commune_code":
                field = forms.ChoiceField(label=_("Xã, phường nơi ở"), choices=commune_choices(user))
            elif spec.choices is not None:
                field = _choice_field(spec, labels[spec.key])
            else:
                field = forms.CharField(label=labels[spec.key], required=False, max_length=spec.max_length)
            self.fields[spec.key] = field
        self.fields["birth_date"].help_text = _("ngày/tháng/năm, ví dụ 05/09/1990")
        self.fields["job_title"].help_text = _("Gõ chức danh; hệ thống gợi ý mã nghề VSCO cấp 4.")
        self.fields["phone"].widget.input_type = "tel"
        if person is not None:
            self.fields["cccd"].disabled = True  # the key of the register never changes through a form
        if not self.is_bound and "valid_from" not in self.initial:
            self.initial["valid_from"] = timezone.localdate()

    def sections(self):
        return [
            (title, [self[key] for key in keys], self.STATUS_OF_SECTION.get(index, ""))
            for index, (title, keys) in enumerate(self.SECTIONS)
        ]

    def record_data(self) -> dict:
        """The record as text values, keyed as the register's rules expect."""
        data = {}
        for spec in FIELDS:
            value = self.cleaned_data.get(spec.key)
            if spec.key == "priority_groups":
                value = "".join(sorted(value or []))
            elif isinstance(value, bool):
                value = "1" if value else "0"
            data[spec.key] = value or ""
        return data

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        for key, messages in problems.items():
            for message in messages:
                self.add_error(key if key in self.fields else None, message)


def initial_from(person: Person, situation: LaborSituation | None) -> dict:
    """The edit form's values from the register."""
    initial = {
        "cccd": person.cccd,
        "full_name": person.full_name,
        "birth_date": person.birth_date.strftime("%d/%m/%Y"),
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "phone": person.phone,
        "bhxh_number": person.bhxh_number,
        "priority_groups": list(person.priority_groups),
        "commune_code": person.commune_code,
        "hamlet": person.hamlet,
        "household_number": person.household.number if person.household_id else "",
        "relation_to_head": person.relation_to_head,
        "current_address": person.current_address,
        "permanent_address": person.permanent_address,
    }
    if situation is not None:
        for spec in FIELDS:
            if hasattr(situation, spec.key) and spec.key not in initial:
                initial[spec.key] = getattr(situation, spec.key)
        initial["training_field"] = situation.training_field_code
        initial["industrial_zone"] = situation.workplace_in_industrial_zone
    return initial


class DecreaseForm(forms.Form):
    on = forms.DateField(
        label=_("Ngày giảm"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.ChoiceField(label=_("Lý do"), choices=DecreaseReason.choices)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp phiếu thu thập (XLSX, XLS, ODS hoặc CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xlsm,.xls,.ods,.csv"}),
    )
    survey_round = forms.ModelChoiceField(label=_("Kỳ điều tra"), queryset=SurveyRound.objects.none())
    new_round = forms.CharField(
        label=_("hoặc kỳ mới (năm)"),
        required=False,
        max_length=4,
        help_text=_("Ví dụ 2026; thời điểm điều tra là 01/7 của năm."),
    )
    commune = forms.ChoiceField(label=_("Xã, phường"), required=False)
    mode = forms.ChoiceField(
        label=_("Cách nhập"), choices=ImportMode.choices, initial=ImportMode.ALL_OR_NOTHING
    )

    EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey_round"].queryset = SurveyRound.objects.visible_to(user)
        self.fields["survey_round"].required = False
        if user.role == Role.COMMUNE_OFFICER:
            del self.fields["commune"]
        else:
            self.fields["commune"].choices = [("", _("Theo mã xã ghi trong tệp")), *commune_choices(user)]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(self.EXTENSIONS):
            raise forms.ValidationError(
                _("Chỉ nhận tệp XLSX, XLS, ODS hoặc CSV / only XLSX, XLS, ODS or CSV files")
            )
        return upload

    def clean_new_round(self):
        code = self.cleaned_data["new_round"].strip()
        if code and not (code.isdigit() and 2000 <= int(code) <= 2100):
            raise forms.ValidationError(_("Kỳ mới ghi bằng năm, ví dụ 2026"))
        return code

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("survey_round") and not cleaned.get("new_round"):
            self.add_error("survey_round", _("Chọn kỳ điều tra hoặc ghi năm của kỳ mới"))
        return cleaned


class TemplateForm(forms.Form):
    shape = forms.ChoiceField(choices=ImportLayout.choices, initial=ImportLayout.SURVEY_TICKS)
    format = forms.ChoiceField(choices=[("xlsx", "XLSX"), ("csv", "CSV")], initial="xlsx", required=False)
