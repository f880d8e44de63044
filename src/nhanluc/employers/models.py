"""Labour demand: employers, their NĐ 145/2020 workforce reports, vacancies and foreign workers.

An employer is keyed by its tax code (MST); a household business without one by its owner's CCCD.
A workforce report is filed per employer and period; filing again replaces the earlier report,
which stays as it was (status "replaced") so that nothing an employer sent is ever lost.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nhanluc.catalogs.choices import EnterpriseOwnership, GeneralEducation, Qualification, Sex
from nhanluc.employers.choices import (
    AccountStatus,
    JobPosition,
    LegalForm,
    ProposalStatus,
    ReportKind,
    ReportPeriod,
    ReportStatus,
    SizeBand,
    VacancySource,
    VacancyStatus,
    WageCurrency,
    WorkerContract,
)
from nhanluc.employers.querysets import (
    EmployerAccountQuerySet,
    EmployerQuerySet,
    ForeignWorkerQuerySet,
    RegisterProposalQuerySet,
    ReportedWorkerQuerySet,
    VacancyQuerySet,
    WorkforceReportQuerySet,
)


class Employer(models.Model):
    """An enterprise, cooperative, public body or household business that employs workers."""

    # "0100109106" or, for a branch, "0100109106-001"; blank for a household business without one.
    tax_code = models.CharField(_("mã số thuế"), max_length=14, blank=True)
    owner_cccd = models.CharField(_("CCCD của chủ hộ kinh doanh"), max_length=12, blank=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    search_name = models.CharField(max_length=255, editable=False)
    ownership = models.CharField(
        _("loại hình sở hữu"), max_length=1, choices=EnterpriseOwnership.choices, blank=True
    )
    legal_form = models.CharField(_("loại hình pháp lý"), max_length=8, choices=LegalForm.choices, blank=True)
    # VSIC codes are keyed by edition: the same number means other activities in VSIC 2025.
    industry_version = models.CharField(_("phiên bản VSIC"), max_length=16, blank=True)
    main_industry_code = models.CharField(_("ngành kinh doanh chính"), max_length=5, blank=True)
    other_industry_codes = models.JSONField(_("ngành khác"), default=list, blank=True)
    size_band = models.CharField(_("quy mô lao động"), max_length=1, choices=SizeBand.choices, blank=True)
    province_code = models.CharField(_("mã tỉnh"), max_length=2)
    commune_code = models.CharField(_("mã xã"), max_length=5, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    industrial_zone = models.CharField(_("khu công nghiệp"), max_length=128, blank=True)
    representative = models.CharField(_("người đại diện theo pháp luật"), max_length=128, blank=True)
    contact_name = models.CharField(_("người liên hệ"), max_length=128, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=16, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị sử dụng lao động")
        verbose_name_plural = _("đơn vị sử dụng lao động")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"], condition=~Q(tax_code=""), name="employers_employer_tax_code"
            ),
            models.CheckConstraint(
                condition=~Q(tax_code="") | ~Q(owner_cccd=""), name="employers_employer_has_identifier"
            ),
        ]
        indexes = [
            models.Index(fields=["province_code", "commune_code"], name="employers_employer_area"),
            models.Index(fields=["search_name"], name="employers_employer_name"),
        ]
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def identifier(self) -> str:
        return self.tax_code or self.owner_cccd

    @property
    def in_industrial_zone(self) -> bool:
        return bool(self.industrial_zone)


class EmployerAccount(models.Model):
    """A portal user's request to act for an employer, approved by employment-centre staff."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="employer_account"
    )
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="accounts")
    province_code = models.CharField(max_length=2)
    # True when the user registered a new employer; False when they claimed one already recorded.
    created_employer = models.BooleanField(default=False)
    status = models.CharField(_("trạng thái"), max_length=16, choices=AccountStatus.choices)
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    objects = EmployerAccountQuerySet.as_manager()

    class Meta:
        verbose_name = _("tài khoản doanh nghiệp")
        verbose_name_plural = _("tài khoản doanh nghiệp")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.user} → {self.employer}"


class WorkforceReport(models.Model):
    """A report on the labour an employer uses (NĐ 145/2020 Điều 4, Mẫu 01/PLI or Mẫu 02/PLI)."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("năm"))
    period = models.CharField(_("kỳ báo cáo"), max_length=8, choices=ReportPeriod.choices)
    kind = models.CharField(_("hình thức"), max_length=16, choices=ReportKind.choices)
    status = models.CharField(_("trạng thái"), max_length=16, choices=ReportStatus.choices)
    # 1 for the first filing of the period, then 2, 3… for each replacement.
    version = models.PositiveSmallIntegerField(_("lần nộp"), default=1)
    filed_at = models.DateTimeField(_("nộp lúc"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(_("tệp"), max_length=255, blank=True)
    # The totals of Mẫu 02/PLI, computed from the list of workers or entered as they are.
    start_headcount = models.PositiveIntegerField(_("đầu kỳ"), null=True, blank=True)
    headcount = models.PositiveIntegerField(_("tổng số lao động"))
    female = models.PositiveIntegerField(_("lao động nữ"))
    over_35 = models.PositiveIntegerField(_("trên 35 tuổi"))
    compulsory_insurance = models.PositiveIntegerField(_("tham gia BHXH bắt buộc"))
    managers = models.PositiveIntegerField(_("nhà quản lý"))
    high_technical = models.PositiveIntegerField(_("chuyên môn kỹ thuật bậc cao"))
    mid_technical = models.PositiveIntegerField(_("chuyên môn kỹ thuật bậc trung"))
    other_positions = models.PositiveIntegerField(_("vị trí khác"))
    indefinite_contracts = models.PositiveIntegerField(_("HĐLĐ không xác định thời hạn"))
    fixed_term_contracts = models.PositiveIntegerField(_("HĐLĐ xác định thời hạn"))
    other_contracts = models.PositiveIntegerField(_("hợp đồng khác"))
    hires = models.PositiveIntegerField(_("tăng trong kỳ"))
    separations = models.PositiveIntegerField(_("giảm trong kỳ"))
    # Declared by the employer; the derived count is of listed workers whose register record lives
    # in another province (only for per-worker lists).
    out_of_province = models.PositiveIntegerField(_("lao động ngoại tỉnh"), null=True, blank=True)
    out_of_province_derived = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = WorkforceReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo tình hình sử dụng lao động")
        verbose_name_plural = _("báo cáo tình hình sử dụng lao động")
        constraints = [
            # One report in force per employer and period; replacements keep the earlier ones.
            models.UniqueConstraint(
                fields=["employer", "year", "period"],
                condition=Q(status=ReportStatus.FILED),
                name="employers_report_one_filed",
            ),
            models.UniqueConstraint(
                fields=["employer", "year", "period", "version"], name="employers_report_version"
            ),
        ]
        ordering = ["-year", "-period", "employer__name"]

    def __str__(self):
        return f"{self.employer} {self.get_period_display()} {self.year}"


class ReportedWorker(models.Model):
    """One line of a Mẫu 01/PLI list."""

    report = models.ForeignKey(WorkforceReport, on_delete=models.CASCADE, related_name="workers")
    row_number = models.PositiveIntegerField(_("dòng"))
    full_name = models.CharField(_("họ và tên"), max_length=128)
    cccd = models.CharField(_("số CCCD"), max_length=12, blank=True)
    bhxh_number = models.CharField(_("mã số BHXH"), max_length=10, blank=True)
    birth_date = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    job_title = models.CharField(_("chức danh, nghề nghiệp"), max_length=255, blank=True)
    occupation_code = models.CharField(_("mã nghề VSCO"), max_length=5, blank=True)
    job_position = models.CharField(_("vị trí việc làm"), max_length=1, choices=JobPosition.choices)
    wage = models.BigIntegerField(_("tiền lương (đồng)"), null=True, blank=True)
    contract_type = models.CharField(_("loại hợp đồng"), max_length=1, choices=WorkerContract.choices)
    contract_from = models.DateField(_("hợp đồng từ ngày"), null=True, blank=True)
    contract_to = models.DateField(_("hợp đồng đến ngày"), null=True, blank=True)
    insurance_from = models.DateField(_("đóng BHXH từ"), null=True, blank=True)
    insurance_to = models.DateField(_("đóng BHXH đến"), null=True, blank=True)
    residence_province_code = models.CharField(_("tỉnh cư trú"), max_length=2, blank=True)
    # The register's person with this CCCD, when there is one.
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="reported_jobs"
    )

    objects = ReportedWorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("người lao động trong báo cáo")
        verbose_name_plural = _("người lao động trong báo cáo")
        ordering = ["report_id", "row_number"]

    def __str__(self):
        return self.full_name


class RegisterProposal(models.Model):
    """An employment update for a registered person, proposed from an employer's report.

    Nothing in the register changes until an officer accepts it; a rejected proposal stays on record.
    """

    person = models.ForeignKey("registry.Person", on_delete=models.CASCADE, related_name="proposals")
    worker = models.ForeignKey(ReportedWorker, on_delete=models.CASCADE, related_name="proposals")
    province_code = models.CharField(max_length=2)
    commune_code = models.CharField(max_length=5)
    # The fields of the person's labour situation the report implies, as the register stores them.
    proposed = models.JSONField(_("đề xuất"))
    effective_from = models.DateField(_("áp dụng từ"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=ProposalStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    situation = models.ForeignKey(
        "registry.LaborSituation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RegisterProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề xuất cập nhật sổ lao động")
        verbose_name_plural = _("đề xuất cập nhật sổ lao động")
        constraints = [
            models.UniqueConstraint(fields=["worker", "person"], name="employers_proposal_once"),
        ]
        indexes = [models.Index(fields=["commune_code", "status"], name="employers_proposal_queue")]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.person_id} ← {self.worker}"


class Vacancy(models.Model):
    """A job opening (Mẫu 03a fields), posted by an employer or imported from a job board."""

    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.SET_NULL, related_name="vacancies"
    )
    # As the posting names the employer, kept when no recorded employer matches (job boards).
    employer_name = models.CharField(_("tên doanh nghiệp"), max_length=255, blank=True)
    title = models.CharField(_("chức danh cần tuyển"), max_length=255)
    occupation_code = models.CharField(_("mã nghề VSCO"), max_length=5, blank=True)
    job_position = models.CharField(
        _("vị trí việc làm"), max_length=1, choices=JobPosition.choices, blank=True
    )
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    female_quantity = models.PositiveIntegerField(_("trong đó nữ"), default=0)
    age_min = models.PositiveSmallIntegerField(_("tuổi từ"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("tuổi đến"), null=True, blank=True)
    general_education = models.CharField(
        _("trình độ học vấn"), max_length=1, choices=GeneralEducation.choices, blank=True
    )
    qualification = models.CharField(
        _("trình độ CMKT"), max_length=1, choices=Qualification.choices, blank=True
    )
    major = models.CharField(_("chuyên ngành"), max_length=255, blank=True)
    skills = models.TextField(_("kỹ năng"), blank=True)
    experience_years = models.PositiveSmallIntegerField(_("kinh nghiệm (năm)"), null=True, blank=True)
    experience_text = models.CharField(_("kinh nghiệm"), max_length=128, blank=True)
    province_code = models.CharField(_("mã tỉnh"), max_length=2, blank=True)
    commune_code = models.CharField(_("xã nơi làm việc"), max_length=5, blank=True)
    location_text = models.CharField(_("nơi làm việc"), max_length=255, blank=True)
    wage_min = models.BigIntegerField(_("lương từ"), null=True, blank=True)
    wage_max = models.BigIntegerField(_("lương đến"), null=True, blank=True)
    wage_currency = models.CharField(max_length=3, choices=WageCurrency.choices, default=WageCurrency.VND)
    wage_negotiable = models.BooleanField(_("thỏa thuận"), default=False)
    wage_text = models.CharField(_("mức lương"), max_length=128, blank=True)
    benefits = models.TextField(_("quyền lợi"), blank=True)
    contract_type = models.CharField(
        _("loại hợp đồng"), max_length=1, choices=WorkerContract.choices, blank=True
    )
    description = models.TextField(_("mô tả công việc"), blank=True)
    requirements = models.TextField(_("yêu cầu"), blank=True)
    posted_on = models.DateField(_("ngày đăng"), null=True, blank=True)
    deadline = models.DateField(_("hạn nộp hồ sơ"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=VacancyStatus.choices)
    # When it was marked filled: an earlier period's open vacancies still count it (indicators).
    filled_on = models.DateField(_("ngày tuyển đủ"), null=True, blank=True)
    source = models.CharField(_("nguồn"), max_length=16, choices=VacancySource.choices)
    # The posting's id at its source: importing the same file again updates instead of duplicating.
    source_id = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vị trí cần tuyển")
        verbose_name_plural = _("vị trí cần tuyển")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source_id=""), name="employers_vacancy_source_id"
            ),
            models.CheckConstraint(
                condition=Q(wage_min__isnull=True)
                | Q(wage_max__isnull=True)
                | Q(wage_min__lte=models.F("wage_max")),
                name="employers_vacancy_wage_range",
            ),
            models.CheckConstraint(
                condition=Q(female_quantity__lte=models.F("quantity")), name="employers_vacancy_female"
            ),
        ]
        indexes = [
            models.Index(fields=["province_code", "status", "deadline"], name="employers_vacancy_open"),
            # The list pages newest first within the province: SQLite reads it and stops after a page.
            models.Index(fields=["province_code", "id"], name="employers_vacancy_province_key"),
            models.Index(fields=["occupation_code"], name="employers_vacancy_occupation"),
            models.Index(fields=["employer", "status"], name="employers_vacancy_employer"),
        ]
        ordering = ["-posted_on", "-id"]

    def __str__(self):
        return self.title

    def save(self, **kwargs):
        # Whichever way the status changes (the portal, the admin, a re-publication), the day it was
        # filled goes with it: the open vacancies of past periods are counted from it.
        filled_on = self.filled_on
        if self.status != VacancyStatus.FILLED:
            self.filled_on = None
        elif self.filled_on is None:
            self.filled_on = timezone.localdate()
        if self.filled_on != filled_on and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "filled_on"}
        super().save(**kwargs)

    @property
    def current_status(self) -> str:
        """The status as of today: a published vacancy past its deadline has expired, whatever is stored."""
        if self.status == VacancyStatus.PUBLISHED and self.deadline and self.deadline < timezone.localdate():
            return VacancyStatus.EXPIRED
        return self.status

    @property
    def current_status_label(self) -> str:
        return VacancyStatus(self.current_status).label


class ForeignWorker(models.Model):
    """A foreign national working for an employer (TT 01/2022 Điều 13, Mẫu 03)."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="foreign_workers")
    full_name = models.CharField(_("họ và tên"), max_length=128)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    nationality = models.CharField(_("quốc tịch"), max_length=64)
    passport_number = models.CharField(_("số hộ chiếu"), max_length=20)
    permit_number = models.CharField(_("số giấy phép lao động"), max_length=32, blank=True)
    # Exempt from a work permit (Điều 154 Bộ luật Lao động): the confirmation number instead.
    permit_exempt = models.BooleanField(_("thuộc diện miễn giấy phép"), default=False)
    permit_from = models.DateField(_("giấy phép từ ngày"), null=True, blank=True)
    permit_to = models.DateField(_("giấy phép đến ngày"), null=True, blank=True)
    job_position = models.CharField(_("vị trí công việc"), max_length=1, choices=JobPosition.choices)
    job_title = models.CharField(_("chức danh công việc"), max_length=255)
    occupation_code = models.CharField(_("mã nghề VSCO"), max_length=5, blank=True)
    workplace_commune_code = models.CharField(_("xã nơi làm việc"), max_length=5, blank=True)
    workplace_address = models.CharField(_("địa điểm làm việc"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ForeignWorkerQuerySet.as_manager()

    class Meta:
        verbose_name = _("người lao động nước ngoài")
        verbose_name_plural = _("người lao động nước ngoài")
        constraints = [
            models.CheckConstraint(
                condition=Q(permit_from__isnull=True)
                | Q(permit_to__isnull=True)
                | Q(permit_to__gt=models.F("permit_from")),
                name="employers_foreign_permit_period",
            ),
        ]
        ordering = ["employer_id", "full_name"]

    def __str__(self):
        return self.full_name
