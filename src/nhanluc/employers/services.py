"""Writes to the labour-demand records: employers, portal accounts, vacancies.

Views, the API, commands and tests all call these functions; each checks its input with `rules.py`
and files its audit rows in the same transaction.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nhanluc.catalogs.suggest import best_occupation
from nhanluc.core.choices import AuditAction, Role
from nhanluc.core.services import note_data_change, record_event
from nhanluc.core.text import fold
from nhanluc.employers.choices import AccountStatus, ReportPeriod, ReportStatus, VacancySource, VacancyStatus
from nhanluc.employers.models import Employer, EmployerAccount, ForeignWorker, Vacancy, WorkforceReport
from nhanluc.employers.reports import due_date
from nhanluc.employers.rules import check_vacancy, normalise_tax_code

# Who decides on employer accounts and records employers by hand.
DEMAND_EDITORS = frozenset({Role.PROVINCE_ADMIN, Role.CENTRE_STAFF})

EMPLOYER_FIELDS = (
    "name",
    "ownership",
    "legal_form",
    "industry_version",
    "main_industry_code",
    "size_band",
    "commune_code",
    "address",
    "industrial_zone",
    "representative",
    "contact_name",
    "phone",
    "email",
)
OCCUPATION_THRESHOLD = 0.5
FOREIGN_WORKER_FIELDS = (
    "full_name",
    "sex",
    "birth_date",
    "nationality",
    "passport_number",
    "permit_exempt",
    "permit_number",
    "permit_from",
    "permit_to",
    "job_position",
    "job_title",
    "workplace_commune_code",
    "workplace_address",
)
VACANCY_FIELDS = (
    "title",
    "occupation_code",
    "job_position",
    "quantity",
    "female_quantity",
    "age_min",
    "age_max",
    "general_education",
    "qualification",
    "major",
    "skills",
    "experience_years",
    "commune_code",
    "wage_min",
    "wage_max",
    "benefits",
    "contract_type",
    "description",
    "requirements",
    "deadline",
)


def can_edit_demand(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in DEMAND_EDITORS))


def _plain(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def find_employer(tax_code: str) -> Employer | None:
    return Employer.objects.filter(tax_code=normalise_tax_code(tax_code)).first()


def register_employer(*, data: dict, province_code: str, actor=None, source: str = "web") -> Employer:
    """Record a new employer; a tax code already recorded is refused (claim that employer instead)."""
    tax_code = normalise_tax_code(data["tax_code"]) if data.get("tax_code") else ""
    owner_cccd = (data.get("owner_cccd") or "").strip()
    if not tax_code and not owner_cccd:
        raise ValidationError(
            {"tax_code": [_("Cần mã số thuế, hoặc số CCCD của chủ hộ kinh doanh chưa có mã số thuế.")]}
        )
    if owner_cccd and not (owner_cccd.isdigit() and len(owner_cccd) == 12):
        raise ValidationError({"owner_cccd": [_("Số CCCD phải gồm 12 chữ số.")]})
    if tax_code and Employer.objects.filter(tax_code=tax_code).exists():
        raise ValidationError(
            {"tax_code": [_("Mã số thuế %(code)s đã có trong hệ thống.") % {"code": tax_code}]},
            code="tax_code_taken",
        )
    if not (data.get("name") or "").strip():
        raise ValidationError({"name": [_("Cần tên đơn vị.")]})
    employer = Employer(tax_code=tax_code, owner_cccd=owner_cccd, province_code=province_code)
    for name in EMPLOYER_FIELDS:
        if name in data and data[name] is not None:
            setattr(employer, name, data[name].strip() if isinstance(data[name], str) else data[name])
    employer.search_name = fold(employer.name)[:255]
    with transaction.atomic():
        employer.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="employers.employer",
            object_id=employer.pk,
            object_repr=employer.name,
            changes={name: _plain(getattr(employer, name)) for name in ("tax_code", *EMPLOYER_FIELDS)},
            source=source,
            province_code=province_code,
            commune_code=employer.commune_code,
        )
    return employer


def request_account(*, user, employer_data: dict, province_code: str, source: str = "web") -> EmployerAccount:
    """A portal user asks to act for an employer: the one with this tax code, or a new one they describe.

    The user gets the employer role at once but no employer until staff approve, so they see nothing.
    """
    if hasattr(user, "employer_account"):
        raise ValidationError(_("Tài khoản này đã gửi yêu cầu cho một đơn vị."))
    with transaction.atomic():
        existing = find_employer(employer_data["tax_code"]) if employer_data.get("tax_code") else None
        employer = existing or register_employer(
            data=employer_data, province_code=province_code, actor=user, source=source
        )
        account = EmployerAccount.objects.create(
            user=user,
            employer=employer,
            province_code=employer.province_code,
            created_employer=existing is None,
            status=AccountStatus.PENDING,
        )
        user.role = Role.EMPLOYER
        user.province_code = employer.province_code
        user.employer_id = None
        user.save(update_fields=["role", "province_code", "employer_id"])
        record_event(
            actor=user,
            action=AuditAction.CREATE,
            object_type="employers.employeraccount",
            object_id=account.pk,
            object_repr=str(account),
            changes={"employer": employer.pk, "claimed": existing is not None},
            source=source,
            province_code=employer.province_code,
        )
    return account


def decide_account(
    *, account: EmployerAccount, approve: bool, actor, note: str = "", source: str = "web"
) -> None:
    if not can_edit_demand(actor):
        raise PermissionError(_("Chỉ Trung tâm Dịch vụ việc làm hoặc quản trị cấp tỉnh duyệt tài khoản."))
    if account.status != AccountStatus.PENDING:
        raise ValidationError(_("Yêu cầu này đã được xử lý."))
    with transaction.atomic():
        account.status = AccountStatus.APPROVED if approve else AccountStatus.REJECTED
        account.decided_by = actor
        account.decided_at = timezone.now()
        account.decision_note = note[:255]
        account.save()
        user = account.user
        user.employer_id = account.employer_id if approve else None
        user.save(update_fields=["employer_id"])
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="employers.employeraccount",
            object_id=account.pk,
            object_repr=str(account),
            changes={"status": [AccountStatus.PENDING, account.status], "note": note},
            source=source,
            province_code=account.province_code,
        )


def save_vacancy(
    *,
    employer: Employer,
    data: dict,
    actor,
    publish: bool = False,
    vacancy: Vacancy | None = None,
    source: str = "web",
) -> Vacancy:
    """Create or change a vacancy of `employer`; publishing checks that the deadline is still ahead."""
    today = timezone.localdate()
    values = {name: data.get(name) for name in VACANCY_FIELDS}
    check_vacancy(
        quantity=values["quantity"] or 0,
        female_quantity=values["female_quantity"] or 0,
        age_min=values["age_min"],
        age_max=values["age_max"],
        wage_min=values["wage_min"],
        wage_max=values["wage_max"],
        deadline=values["deadline"],
        today=today,
        for_publication=publish,
    )
    is_new = vacancy is None
    if is_new:
        vacancy = Vacancy(
            employer=employer,
            employer_name=employer.name,
            status=VacancyStatus.DRAFT,
            source=VacancySource.PORTAL if actor.role == Role.EMPLOYER else VacancySource.STAFF,
            province_code=employer.province_code,
            posted_on=today,
        )
    old = {name: _plain(getattr(vacancy, name)) for name in VACANCY_FIELDS}
    for name, value in values.items():
        if value is None and not Vacancy._meta.get_field(name).null:
            value = 0 if name == "female_quantity" else ""  # text fields store blank, not NULL
        setattr(vacancy, name, value)
    # Without a workplace of its own, the vacancy is at the employer's address.
    vacancy.commune_code = vacancy.commune_code or employer.commune_code
    if publish:
        vacancy.status = VacancyStatus.PUBLISHED
    vacancy.search_text = fold(f"{vacancy.title} {vacancy.employer_name}")
    with transaction.atomic():
        vacancy.save()
        note_data_change(domain="demand", province_code=vacancy.province_code)
        new = {name: _plain(getattr(vacancy, name)) for name in VACANCY_FIELDS}
        record_event(
            actor=actor,
            action=AuditAction.CREATE if is_new else AuditAction.UPDATE,
            object_type="employers.vacancy",
            object_id=vacancy.pk,
            object_repr=vacancy.title,
            changes={
                name: [old[name], new[name]] for name in VACANCY_FIELDS if is_new or old[name] != new[name]
            }
            | ({"status": vacancy.status} if publish else {}),
            source=source,
            province_code=vacancy.province_code,
            commune_code=vacancy.commune_code,
        )
    return vacancy


def record_foreign_worker(*, employer: Employer, data: dict, actor, source: str = "web") -> ForeignWorker:
    """A foreign worker of `employer` (TT 01/2022 Mẫu 03): a permit with its period, or the exemption."""
    problems: dict[str, list[str]] = {}
    if not data.get("permit_exempt") and not (data.get("permit_number") or "").strip():
        problems["permit_number"] = [
            _("Cần số giấy phép lao động, hoặc chọn “thuộc diện không cấp giấy phép”.")
        ]
    start, end = data.get("permit_from"), data.get("permit_to")
    if start and end and end <= start:
        problems["permit_to"] = [_("Ngày hết hạn giấy phép phải sau ngày bắt đầu.")]
    if problems:
        raise ValidationError(problems)
    worker = ForeignWorker(employer=employer)
    for name in FOREIGN_WORKER_FIELDS:
        value = data.get(name)
        if value is None and not ForeignWorker._meta.get_field(name).null:
            value = False if name == "permit_exempt" else ""
        setattr(worker, name, value.strip() if isinstance(value, str) else value)
    worker.occupation_code = best_occupation(worker.job_title, threshold=OCCUPATION_THRESHOLD)
    with transaction.atomic():
        worker.save()
        record_event(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="employers.foreignworker",
            object_id=worker.pk,
            object_repr=worker.full_name,
            changes={name: _plain(getattr(worker, name)) for name in FOREIGN_WORKER_FIELDS},
            source=source,
            province_code=employer.province_code,
            commune_code=employer.commune_code,
        )
    return worker


@dataclass
class ReportDue:
    employer: Employer
    year: int
    period: str
    due: datetime.date
    overdue: bool


def current_report_period(today: datetime.date) -> tuple[int, str]:
    """The period whose report is being collected on `today`: the previous year's report until May,
    the half-year report from May until a month after its due date, then the year report."""
    if today.month < 5:
        return today.year - 1, ReportPeriod.YEAR
    if today <= datetime.date(today.year, 7, 4):
        return today.year, ReportPeriod.HALF_YEAR
    return today.year, ReportPeriod.YEAR


def reports_due(employers, *, year: int, period: str, today: datetime.date) -> list[ReportDue]:
    """Employers with no report filed for the period, due soon or overdue, oldest deadline first."""
    due = due_date(year, period)
    filed = WorkforceReport.objects.filter(year=year, period=period, status=ReportStatus.FILED).values(
        "employer_id"
    )
    missing = employers.exclude(pk__in=filed).order_by("name")
    return [ReportDue(employer, year, period, due, today > due) for employer in missing]


def send_report_reminders(items: list[ReportDue], *, actor=None, source: str = "web") -> int:
    """E-mail each employer (its own address and its approved accounts) that a report is due or late."""
    sent = 0
    for item in items:
        addresses = {item.employer.email} if item.employer.email else set()
        addresses |= set(
            item.employer.accounts.filter(status=AccountStatus.APPROVED)
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
        if not addresses:
            continue
        period = ReportPeriod(item.period).label
        subject = _("Nhắc nộp báo cáo tình hình sử dụng lao động %(period)s năm %(year)s") % {
            "period": str(period).lower(),
            "year": item.year,
        }
        body = _(
            "Kính gửi %(employer)s,\n\nTheo Điều 4 Nghị định 145/2020/NĐ-CP, đơn vị báo cáo tình hình sử dụng "
            "lao động %(period)s năm %(year)s trước ngày %(due)s. Hệ thống chưa nhận được báo cáo của đơn vị.\n"
            "Đơn vị nộp trên cổng thông tin việc làm của tỉnh (mục Báo cáo lao động).\n\nTrung tâm Dịch vụ việc làm"
        ) % {
            "employer": item.employer.name,
            "period": str(period).lower(),
            "year": item.year,
            "due": (item.due + datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
        }
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, sorted(addresses))
        sent += 1
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="employers.employer",
            object_id=item.employer.pk,
            object_repr=item.employer.name,
            changes={"reminder": f"{item.period} {item.year}", "to": sorted(addresses)},
            source=source,
            province_code=item.employer.province_code,
        )
    return sent


def mark_vacancy_filled(*, vacancy: Vacancy, actor, source: str = "web") -> None:
    """The employer has hired everyone it needed: the vacancy leaves the open list, its record stays."""
    if vacancy.status != VacancyStatus.PUBLISHED:
        raise ValidationError(_("Chỉ vị trí đang tuyển mới đánh dấu đã tuyển đủ được."))
    with transaction.atomic():
        vacancy.status = VacancyStatus.FILLED
        vacancy.save(update_fields=["status", "updated_at"])  # save() dates it
        note_data_change(domain="demand", province_code=vacancy.province_code)
        record_event(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="employers.vacancy",
            object_id=vacancy.pk,
            object_repr=vacancy.title,
            changes={"status": [VacancyStatus.PUBLISHED, VacancyStatus.FILLED]},
            source=source,
            province_code=vacancy.province_code,
            commune_code=vacancy.commune_code,
        )
