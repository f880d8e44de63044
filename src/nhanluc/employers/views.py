"""Staff pages of labour demand: employers, accounts to approve, workforce reports and the overdue list,
register updates proposed from reports, vacancies (list, detail, bulk import) and foreign workers."""

import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from nhanluc.core.choices import AccessKind, Role
from nhanluc.core.forms import client_address
from nhanluc.core.pagination import keyset_page
from nhanluc.core.privacy import mask_cccd, sees_identifiers
from nhanluc.core.services import log_access, start_job
from nhanluc.core.views import ScopedViewMixin
from nhanluc.employers import services
from nhanluc.employers.analysis import demand_summary, supply_for_vacancy
from nhanluc.employers.choices import AccountStatus, ReportPeriod
from nhanluc.employers.filters import filter_vacancies
from nhanluc.employers.forms import (
    DecisionForm,
    EmployerForm,
    ForeignWorkerForm,
    VacancyFilterForm,
    VacancyImportForm,
    add_validation_errors,
    province_communes,
)
from nhanluc.employers.models import (
    Employer,
    EmployerAccount,
    ForeignWorker,
    RegisterProposal,
    ReportedWorker,
    Vacancy,
    WorkforceReport,
)
from nhanluc.employers.proposals import decide_proposal
from nhanluc.employers.tasks import import_vacancies_task
from nhanluc.registry.models import LaborSituation
from nhanluc.registry.services import RecordInvalid


def _require_demand_editor(user) -> None:
    if not services.can_edit_demand(user):
        raise PermissionDenied


def _commune_names() -> dict[str, str]:
    return dict(province_communes())


class EmployerListView(ScopedViewMixin, View):
    model = Employer

    def get(self, request):
        if request.user.role == Role.EMPLOYER:
            return redirect("portal:home")
        query = request.GET.get("q", "")
        employers = self.scoped_queryset().search(query)
        page = keyset_page(employers, after=request.GET.get("after"))
        communes = _commune_names()
        return render(
            request,
            "employers/employer_list.html",
            {
                "page": page,
                "rows": [(employer, communes.get(employer.commune_code, "")) for employer in page.rows],
                "q": query,
                "filter_query": f"q={query}" if query else "",
                "can_edit": services.can_edit_demand(request.user),
                "pending_accounts": EmployerAccount.objects.visible_to(request.user).pending().count(),
            },
        )


class EmployerCreateView(ScopedViewMixin, View):
    model = Employer

    def get(self, request):
        _require_demand_editor(request.user)
        return render(request, "employers/employer_form.html", {"form": EmployerForm()})

    def post(self, request):
        _require_demand_editor(request.user)
        form = EmployerForm(request.POST)
        if form.is_valid():
            try:
                employer = services.register_employer(
                    data=form.employer_data(), province_code=request.user.province_code, actor=request.user
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Đã ghi đơn vị %(name)s.") % {"name": employer.name})
                return redirect("employers:employer", pk=employer.pk)
        return render(request, "employers/employer_form.html", {"form": form})


class EmployerDetailView(ScopedViewMixin, View):
    model = Employer

    def get(self, request, pk):
        employer = get_object_or_404(self.scoped_queryset(), pk=pk)
        return render(
            request,
            "employers/employer_detail.html",
            {
                "employer": employer,
                "reports": employer.reports.all()[:20],
                "vacancies": employer.vacancies.order_by("-id")[:20],
                "foreign_workers": ForeignWorker.objects.visible_to(request.user).filter(employer=employer),
                "accounts": EmployerAccount.objects.visible_to(request.user).filter(employer=employer),
                "commune_name": _commune_names().get(employer.commune_code, ""),
                "can_edit": services.can_edit_demand(request.user),
            },
        )


class AccountListView(ScopedViewMixin, View):
    """Portal accounts waiting for approval, and the recent decisions."""

    model = EmployerAccount

    def get(self, request):
        _require_demand_editor(request.user)
        accounts = self.scoped_queryset().select_related("user", "employer")
        return render(
            request,
            "employers/account_list.html",
            {
                "pending": accounts.filter(status=AccountStatus.PENDING),
                "decided": accounts.exclude(status=AccountStatus.PENDING)[:30],
                "form": DecisionForm(),
            },
        )


class AccountDecisionView(ScopedViewMixin, View):
    model = EmployerAccount

    def post(self, request, pk):
        _require_demand_editor(request.user)
        account = get_object_or_404(self.scoped_queryset(), pk=pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            approve = form.cleaned_data["decision"] == "approve"
            try:
                services.decide_account(
                    account=account, approve=approve, actor=request.user, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    (
                        _("Đã duyệt tài khoản của %(name)s.")
                        if approve
                        else _("Đã từ chối tài khoản của %(name)s.")
                    )
                    % {"name": account.employer.name},
                )
        return redirect("employers:accounts")


class ReportListView(ScopedViewMixin, View):
    """Filed reports of the period, and the employers whose report is due or overdue."""

    model = WorkforceReport

    def get(self, request):
        if request.user.role == Role.EMPLOYER:
            return redirect("portal:home")
        today = timezone.localdate()
        year, period = services.current_report_period(today)
        year = int(request.GET.get("year") or year)
        period = request.GET.get("period") if request.GET.get("period") in ReportPeriod.values else period
        reports = self.scoped_queryset().filed().filter(year=year, period=period).select_related("employer")
        due = services.reports_due(
            Employer.objects.visible_to(request.user), year=year, period=period, today=today
        )
        return render(
            request,
            "employers/report_list.html",
            {
                "reports": reports,
                "due": due,
                "overdue_count": sum(item.overdue for item in due),
                "year": year,
                "period": period,
                "period_label": ReportPeriod(period).label,
                "periods": ReportPeriod.choices,
                "due_date": services.due_date(year, period),
                "can_remind": services.can_edit_demand(request.user),
            },
        )

    def post(self, request):
        """Send the reminders of the period shown."""
        _require_demand_editor(request.user)
        year = int(request.POST["year"])
        period = request.POST["period"]
        if period not in ReportPeriod.values:
            raise Http404
        due = services.reports_due(
            Employer.objects.visible_to(request.user), year=year, period=period, today=timezone.localdate()
        )
        sent = services.send_report_reminders(due, actor=request.user)
        messages.success(request, _("Đã gửi thư nhắc tới %(count)s đơn vị.") % {"count": sent})
        return redirect(f"{request.path}?year={year}&period={period}")


class ReportDetailView(ScopedViewMixin, View):
    model = WorkforceReport

    def get(self, request, pk):
        report = get_object_or_404(self.scoped_queryset().select_related("employer"), pk=pk)
        workers = list(ReportedWorker.objects.visible_to(request.user).filter(report=report)[:500])
        if workers:
            log_access(
                actor=request.user,
                kind=AccessKind.VIEW,
                purpose="xem danh sách lao động trong báo cáo",
                object_type="employers.reportedworker",
                object_ids=[worker.pk for worker in workers],
                client_address=client_address(request),
            )
        shows_ids = sees_identifiers(request.user) or request.user.role == Role.EMPLOYER
        rows = [
            {"worker": worker, "cccd": worker.cccd if shows_ids else mask_cccd(worker.cccd)}
            for worker in workers
        ]
        return render(
            request,
            "employers/report_detail.html",
            {"report": report, "rows": rows, "worker_count": report.workers.count()},
        )


class ProposalListView(ScopedViewMixin, View):
    """Register updates proposed from employers' reports, for the person's commune officer."""

    model = RegisterProposal

    def get(self, request):
        proposals = (
            self.scoped_queryset()
            .pending()
            .select_related("person", "worker__report__employer")
            .order_by("created_at")[:200]
        )
        proposals = list(proposals)
        open_situations = {
            situation.person_id: situation
            for situation in LaborSituation.objects.filter(
                person_id__in=[proposal.person_id for proposal in proposals], valid_to__isnull=True
            )
        }
        rows = [{"proposal": p, "current": open_situations.get(p.person_id)} for p in proposals]
        if rows:
            log_access(
                actor=request.user,
                kind=AccessKind.VIEW,
                purpose="xem đề xuất cập nhật sổ lao động",
                object_type="registry.person",
                object_ids=[row["proposal"].person_id for row in rows],
                client_address=client_address(request),
            )
        return render(request, "employers/proposal_list.html", {"rows": rows})


class ProposalDecisionView(ScopedViewMixin, View):
    model = RegisterProposal

    def post(self, request, pk):
        proposal = get_object_or_404(self.scoped_queryset(), pk=pk)
        accept = request.POST.get("decision") == "accept"
        try:
            decide_proposal(proposal=proposal, accept=accept, actor=request.user)
        except PermissionError as error:
            raise PermissionDenied(str(error)) from None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except RecordInvalid as refused:  # the register's rules refused the combined record
            messages.error(request, "; ".join(m for ms in refused.problems.values() for m in ms))
        else:
            messages.success(
                request,
                (
                    _("Đã cập nhật sổ lao động của %(name)s.")
                    if accept
                    else _("Đã từ chối đề xuất cho %(name)s.")
                )
                % {"name": proposal.person.full_name},
            )
        return redirect("employers:proposals")


class VacancyListView(ScopedViewMixin, View):
    model = Vacancy

    def get(self, request):
        form = VacancyFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        vacancies = filter_vacancies(self.scoped_queryset(), data, today=timezone.localdate())
        page = keyset_page(vacancies, after=request.GET.get("after"))
        communes = _commune_names()
        query = request.GET.copy()
        query.pop("after", None)
        return render(
            request,
            "employers/vacancy_list.html",
            {
                "form": form,
                "page": page,
                "rows": [(vacancy, communes.get(vacancy.commune_code, "")) for vacancy in page.rows],
                "filter_query": query.urlencode(),
                "can_import": services.can_edit_demand(request.user),
            },
        )


class VacancyDetailView(ScopedViewMixin, View):
    model = Vacancy

    def get(self, request, pk):
        vacancy = get_object_or_404(self.scoped_queryset().select_related("employer"), pk=pk)
        return render(
            request,
            "employers/vacancy_detail.html",
            {
                "vacancy": vacancy,
                "supply": supply_for_vacancy(vacancy, user=request.user),
                "commune_name": _commune_names().get(vacancy.commune_code, ""),
            },
        )


class VacancyImportView(ScopedViewMixin, View):
    model = Vacancy

    def get(self, request):
        _require_demand_editor(request.user)
        return render(request, "employers/vacancy_import.html", {"form": VacancyImportForm()})

    def post(self, request):
        _require_demand_editor(request.user)
        form = VacancyImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, "employers/vacancy_import.html", {"form": form})
        upload = form.cleaned_data["file"]
        folder = Path(tempfile.mkdtemp(prefix="nhanluc-vacancies-"))
        path = folder / Path(upload.name).name
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        job = start_job(
            task=import_vacancies_task,
            label=_("Nhập tin tuyển dụng: %(file)s") % {"file": upload.name},
            actor=request.user,
            path=str(path),
            source=form.cleaned_data["source"],
        )
        return redirect("core:job", pk=job.pk)


class DemandView(ScopedViewMixin, View):
    """Recruitment demand by occupation group, qualification, commune and industry; out-of-province workers."""

    model = Vacancy

    def get(self, request):
        summary = demand_summary(request.user, today=timezone.localdate())
        chart_data = {
            key: [[f"{row.code} {row.label}".strip(), row.positions] for row in summary[f"by_{key}"]]
            for key in ("group", "occupation", "qualification")
        }
        return render(request, "employers/demand.html", {"summary": summary, "chart_data": chart_data})


class ForeignWorkerCreateView(ScopedViewMixin, View):
    model = Employer

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        if not (services.can_edit_demand(request.user) or request.user.role == Role.EMPLOYER):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, pk):
        employer = get_object_or_404(self.scoped_queryset(), pk=pk)
        return render(
            request, "employers/foreign_worker_form.html", {"form": ForeignWorkerForm(), "employer": employer}
        )

    def post(self, request, pk):
        employer = get_object_or_404(self.scoped_queryset(), pk=pk)
        form = ForeignWorkerForm(request.POST)
        if form.is_valid():
            try:
                services.record_foreign_worker(employer=employer, data=form.cleaned_data, actor=request.user)
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Đã ghi người lao động nước ngoài."))
                if request.user.role == Role.EMPLOYER:
                    return redirect("portal:home")
                return redirect("employers:employer", pk=employer.pk)
        return render(request, "employers/foreign_worker_form.html", {"form": form, "employer": employer})
