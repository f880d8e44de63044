from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhanluc.catalogs import choices as codes
from nhanluc.core.models import User
from nhanluc.employers.choices import (
    JobPosition,
    LegalForm,
    ReportPeriod,
    SizeBand,
    VacancySource,
    VacancyStatus,
    WorkerContract,
)
from nhanluc.employers.rules import PARTS_OF_HEADCOUNT, REPORT_TOTALS
from nhanluc.geo.models import AdminUnit
from nhanluc.registry.forms import ALL, DATE_FORMATS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_validation_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when it names one of the form's."""
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def province_communes() -> list[tuple[str, str]]:
    communes = AdminUnit.objects.current().communes().filter(province_code=settings.NHANLUC_PROVINCE)
    return list(communes.order_by("name").values_list("code", "name"))


class EmployerForm(forms.Form):
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        max_length=16,
        required=False,
        help_text=_("10 chữ số, hoặc 13 chữ số với đơn vị phụ thuộc (0100109106-001)."),
    )
    owner_cccd = forms.CharField(
        label=_("CCCD của chủ hộ kinh doanh (khi chưa có mã số thuế)"), max_length=12, required=False
    )
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    ownership = forms.ChoiceField(
        label=_("Loại hình sở hữu"), choices=[("", "—"), *codes.EnterpriseOwnership.choices], required=False
    )
    legal_form = forms.ChoiceField(
        label=_("Loại hình pháp lý"), choices=[("", "—"), *LegalForm.choices], required=False
    )
    main_industry_code = forms.CharField(
        label=_("Mã ngành kinh doanh chính (VSIC)"), max_length=5, required=False
    )
    size_band = forms.ChoiceField(
        label=_("Quy mô lao động"), choices=[("", "—"), *SizeBand.choices], required=False
    )
    commune_code = forms.ChoiceField(label=_("Xã, phường trụ sở"), required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    industrial_zone = forms.CharField(label=_("Khu công nghiệp (nếu có)"), max_length=128, required=False)
    representative = forms.CharField(label=_("Người đại diện theo pháp luật"), max_length=128, required=False)
    contact_name = forms.CharField(label=_("Người liên hệ"), max_length=128, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=16, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune_code"].choices = [("", "—"), *province_communes()]

    def employer_data(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("main_industry_code"):
            data["industry_version"] = codes.VSIC_VERSION
        return data


class SignUpForm(UserCreationForm):
    """A new portal account for an employer: the person's sign-in and the employer they act for."""

    first_name = forms.CharField(label=_("Tên"), max_length=150)
    last_name = forms.CharField(label=_("Họ và tên đệm"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "last_name", "first_name", "email")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Duyệt")), ("reject", _("Từ chối"))])
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)


class ReportForm(forms.Form):
    """A workforce report: the per-worker list, the Mẫu 02 figures, or both (then they must agree)."""

    year = forms.IntegerField(label=_("Năm"), min_value=2020, max_value=2100)
    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=ReportPeriod.choices)
    workers_file = forms.FileField(
        label=_("Danh sách người lao động (Mẫu 01/PLI, XLSX hoặc CSV)"),
        required=False,
        help_text=_("Các chỉ tiêu tổng hợp được tính từ danh sách."),
    )
    replace = forms.BooleanField(
        label=_("Nộp thay thế báo cáo đã nộp của kỳ này"),
        required=False,
        help_text=_("Báo cáo cũ được giữ lại với trạng thái “đã được thay thế”."),
    )
    start_headcount = forms.IntegerField(label=_("Số lao động đầu kỳ"), required=False)
    out_of_province = forms.IntegerField(label=_("Trong đó lao động ngoại tỉnh"), required=False)

    # The Mẫu 02/PLI figures, in the order of the form.
    TOTAL_LABELS = {
        "headcount": _("Tổng số lao động cuối kỳ"),
        "female": _("Lao động nữ"),
        "over_35": _("Lao động trên 35 tuổi"),
        "compulsory_insurance": _("Tham gia BHXH bắt buộc"),
        "managers": _("Nhà quản lý"),
        "high_technical": _("Chuyên môn kỹ thuật bậc cao"),
        "mid_technical": _("Chuyên môn kỹ thuật bậc trung"),
        "other_positions": _("Vị trí khác"),
        "indefinite_contracts": _("HĐLĐ không xác định thời hạn"),
        "fixed_term_contracts": _("HĐLĐ xác định thời hạn"),
        "other_contracts": _("Hợp đồng khác (dưới 1 tháng, thử việc)"),
        "hires": _("Tăng trong kỳ"),
        "separations": _("Giảm trong kỳ"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REPORT_TOTALS:
            self.fields[name] = forms.IntegerField(label=self.TOTAL_LABELS[name], required=False)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["period"].initial = ReportPeriod.HALF_YEAR if today.month <= 6 else ReportPeriod.YEAR

    def clean(self):
        data = super().clean()
        figures = [data.get(name) for name in REPORT_TOTALS]
        if not data.get("workers_file") and any(value is None for value in figures):
            raise forms.ValidationError(
                _("Tải lên danh sách người lao động, hoặc điền đủ các chỉ tiêu của Mẫu 02/PLI.")
            )
        return data

    def declared(self) -> dict:
        names = (*REPORT_TOTALS, "start_headcount", "out_of_province")
        return {
            name: self.cleaned_data.get(name) for name in names if self.cleaned_data.get(name) is not None
        }

    @property
    def total_fields(self):
        return [self[name] for name in REPORT_TOTALS]

    @property
    def part_names(self):
        return PARTS_OF_HEADCOUNT


class VacancyForm(forms.Form):
    title = forms.CharField(
        label=_("Chức danh cần tuyển"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    occupation_code = forms.CharField(
        label=_("Mã nghề (VSCO 2020, cấp 4)"),
        max_length=5,
        required=False,
        help_text=_("Gợi ý theo chức danh; có thể sửa."),
    )
    job_position = forms.ChoiceField(
        label=_("Vị trí việc làm"), choices=[("", "—"), *JobPosition.choices], required=False
    )
    quantity = forms.IntegerField(label=_("Số lượng cần tuyển"), min_value=1, initial=1)
    female_quantity = forms.IntegerField(label=_("Trong đó nữ"), min_value=0, required=False)
    age_min = forms.IntegerField(label=_("Tuổi từ"), required=False)
    age_max = forms.IntegerField(label=_("Tuổi đến"), required=False)
    general_education = forms.ChoiceField(
        label=_("Trình độ học vấn"), choices=[("", "—"), *codes.GeneralEducation.choices], required=False
    )
    qualification = forms.ChoiceField(
        label=_("Trình độ chuyên môn kỹ thuật"),
        choices=[("", "—"), *codes.Qualification.choices],
        required=False,
    )
    major = forms.CharField(label=_("Chuyên ngành"), max_length=255, required=False)
    skills = forms.CharField(label=_("Kỹ năng"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    experience_years = forms.IntegerField(label=_("Kinh nghiệm (năm)"), min_value=0, required=False)
    commune_code = forms.ChoiceField(label=_("Xã, phường nơi làm việc"), required=False)
    wage_min = forms.IntegerField(label=_("Lương từ (đồng/tháng)"), required=False)
    wage_max = forms.IntegerField(label=_("Lương đến (đồng/tháng)"), required=False)
    benefits = forms.CharField(label=_("Quyền lợi"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    contract_type = forms.ChoiceField(
        label=_("Loại hợp đồng"), choices=[("", "—"), *WorkerContract.choices], required=False
    )
    description = forms.CharField(
        label=_("Mô tả công việc"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    requirements = forms.CharField(
        label=_("Yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    deadline = forms.DateField(label=_("Hạn nộp hồ sơ"), input_formats=DATE_FORMATS, widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune_code"].choices = [("", "—"), *province_communes()]


class VacancyFilterForm(forms.Form):
    q = forms.CharField(label=_("Chức danh hoặc doanh nghiệp"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[*ALL, ("open", _("Đang nhận hồ sơ")), *VacancyStatus.choices],
    )
    occupation = forms.CharField(label=_("Mã nghề hoặc nhóm nghề"), required=False, max_length=4)
    qualification = forms.ChoiceField(
        label=_("Trình độ CMKT"), required=False, choices=[*ALL, *codes.Qualification.choices]
    )
    commune_code = forms.ChoiceField(label=_("Xã, phường"), required=False)
    source = forms.ChoiceField(label=_("Nguồn"), required=False, choices=[*ALL, *VacancySource.choices])
    wage_at_least = forms.IntegerField(label=_("Lương tối thiểu (đồng)"), required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune_code"].choices = [*ALL, *province_communes()]


class VacancyImportForm(forms.Form):
    file = forms.FileField(label=_("Tệp tin tuyển dụng (CSV, XLSX hoặc JSON)"))
    source = forms.ChoiceField(
        label=_("Nguồn"),
        required=False,
        choices=[("", _("Tự nhận biết theo dòng tiêu đề")), *[(s, s) for s in VacancySource.values[2:]]],
    )


class ForeignWorkerForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=128)
    sex = forms.ChoiceField(label=_("Giới tính"), choices=codes.Sex.choices)
    birth_date = forms.DateField(
        label=_("Ngày sinh"), input_formats=DATE_FORMATS, widget=DATE_WIDGET, required=False
    )
    nationality = forms.CharField(label=_("Quốc tịch"), max_length=64)
    passport_number = forms.CharField(label=_("Số hộ chiếu"), max_length=20)
    permit_exempt = forms.BooleanField(label=_("Thuộc diện không cấp giấy phép lao động"), required=False)
    permit_number = forms.CharField(
        label=_("Số giấy phép lao động / văn bản xác nhận"), max_length=32, required=False
    )
    permit_from = forms.DateField(
        label=_("Từ ngày"), input_formats=DATE_FORMATS, widget=DATE_WIDGET, required=False
    )
    permit_to = forms.DateField(
        label=_("Đến ngày"), input_formats=DATE_FORMATS, widget=DATE_WIDGET, required=False
    )
    job_position = forms.ChoiceField(label=_("Vị trí công việc"), choices=JobPosition.choices)
    job_title = forms.CharField(label=_("Chức danh công việc"), max_length=255)
    workplace_commune_code = forms.ChoiceField(label=_("Xã, phường nơi làm việc"), required=False)
    workplace_address = forms.CharField(label=_("Địa điểm làm việc"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workplace_commune_code"].choices = [("", "—"), *province_communes()]
