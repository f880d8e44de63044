"""The employer's own pages on the portal: sign up and claim an employer, file workforce reports,
post vacancies. An account acts only for its own employer, and only once staff have approved it."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from nhanluc.catalogs.suggest import suggest_occupation
from nhanluc.core.choices import Role
from nhanluc.employers import services
from nhanluc.employers.forms import EmployerForm, ReportForm, SignUpForm, VacancyForm, add_validation_errors
from nhanluc.employers.models import Employer, EmployerAccount, Vacancy, WorkforceReport
from nhanluc.employers.reports import PeriodAlreadyFiled, ReportRefused, file_report
from nhanluc.employers.templates_xlsx import write_worker_template


class SignUpView(View):
    """A new account and the employer it asks to act for: found by tax code, or described anew."""

    def get(self, request):
        if request.user.is_authenticated:
            return redirect("portal:home")
        return render(
            request,
            "employers/signup.html",
            {"form": SignUpForm(), "employer_form": EmployerForm(prefix="employer")},
        )

    def post(self, request):
        form = SignUpForm(request.POST)
        # Prefixed: the employer's e-mail is not the account holder's.
        employer_form = EmployerForm(request.POST, prefix="employer")
        claimed = _claimed_employer(request.POST.get("employer-tax_code", ""))
        # Claiming a recorded employer needs only its tax code; a new one needs its details.
        employer_valid = employer_form.is_valid() or (
            claimed is not None and "tax_code" not in employer_form.errors
        )
        if form.is_valid() and employer_valid:
            try:
                with transaction.atomic():
                    user = form.save()
                    data = {"tax_code": claimed.tax_code} if claimed else employer_form.employer_data()
                    services.request_account(
                        user=user, employer_data=data, province_code=settings.NHANLUC_PROVINCE
                    )
            except ValidationError as error:
                add_validation_errors(employer_form, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _(
                        "Đã gửi yêu cầu. Trung tâm Dịch vụ việc làm sẽ duyệt tài khoản trước khi bạn nộp báo cáo."
                    ),
                )
                return redirect("portal:home")
        return render(
            request,
            "employers/signup.html",
            {"form": form, "employer_form": employer_form, "claimed": claimed},
        )


def _claimed_employer(tax_code: str) -> Employer | None:
    try:
        return services.find_employer(tax_code) if tax_code.strip() else None
    except ValidationError:
        return None


class EmployerPortalMixin(LoginRequiredMixin):
    """An approved employer account: `self.employer` is its employer."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.role != Role.EMPLOYER:
            raise PermissionDenied
        self.employer = Employer.objects.visible_to(request.user).first()
        if self.employer is None:
            return redirect("portal:home")
        return super().dispatch(request, *args, **kwargs)


class PortalHomeView(LoginRequiredMixin, View):
    def get(self, request):
        if request.user.role != Role.EMPLOYER:
            return redirect("employers:employers")
        account = EmployerAccount.objects.filter(user=request.user).select_related("employer").first()
        employer = Employer.objects.visible_to(request.user).first()
        context = {"account": account, "employer": employer}
        if employer is not None:
            context |= {
                "reports": WorkforceReport.objects.visible_to(request.user).order_by(
                    "-year", "-period", "-version"
                ),
                "vacancies": Vacancy.objects.visible_to(request.user).order_by("-id")[:50],
                "foreign_workers": employer.foreign_workers.all(),
            }
        return render(request, "employers/portal_home.html", context)


class ReportFileView(EmployerPortalMixin, View):
    def get(self, request):
        return render(
            request, "employers/report_form.html", {"form": ReportForm(), "employer": self.employer}
        )

    def post(self, request):
        form = ReportForm(request.POST, request.FILES)
        problems = []
        already = None
        if form.is_valid():
            upload = form.cleaned_data.get("workers_file")
            folder = Path(tempfile.mkdtemp(prefix="nhanluc-report-"))
            path = None
            if upload:
                path = folder / Path(upload.name).name
                with path.open("wb") as handle:
                    for chunk in upload.chunks():
                        handle.write(chunk)
            try:
                report = file_report(
                    employer=self.employer,
                    year=form.cleaned_data["year"],
                    period=form.cleaned_data["period"],
                    actor=request.user,
                    workers_file=path,
                    file_name=upload.name if upload else "",
                    declared=form.declared(),
                    replace=form.cleaned_data["replace"],
                )
            except ReportRefused as refused:
                problems = refused.problems
                form.add_error(None, str(refused))
            except PeriodAlreadyFiled as filed:
                already = filed.report
                form.add_error("replace", str(filed))
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Đã nộp báo cáo %(period)s năm %(year)s: %(headcount)s lao động.")
                    % {
                        "period": report.get_period_display().lower(),
                        "year": report.year,
                        "headcount": report.headcount,
                    },
                )
                return redirect("portal:home")
            finally:
                if path is not None:
                    path.unlink(missing_ok=True)
                folder.rmdir()
        return render(
            request,
            "employers/report_form.html",
            {
                "form": form,
                "employer": self.employer,
                "problems": problems[:200],
                "problem_count": len(problems),
                "already": already,
            },
            status=400,
        )


class WorkerTemplateView(LoginRequiredMixin, View):
    """The blank per-worker list (Mẫu 01/PLI columns) as XLSX."""

    def get(self, request):
        folder = Path(tempfile.mkdtemp(prefix="nhanluc-"))
        path = folder / "mau-01-pli-danh-sach-lao-dong.xlsx"
        write_worker_template(path)
        handle = path.open("rb")
        path.unlink()
        folder.rmdir()
        return FileResponse(handle, as_attachment=True, filename=path.name)


class VacancyFormView(EmployerPortalMixin, View):
    """Post a vacancy (saved as a draft, or published at once), or change one of the employer's own."""

    def _vacancy(self, pk):
        return get_object_or_404(Vacancy.objects.visible_to(self.request.user), pk=pk) if pk else None

    def get(self, request, pk=None):
        vacancy = self._vacancy(pk)
        initial = {name: getattr(vacancy, name) for name in services.VACANCY_FIELDS} if vacancy else None
        return render(
            request, "employers/vacancy_form.html", {"form": VacancyForm(initial=initial), "vacancy": vacancy}
        )

    def post(self, request, pk=None):
        vacancy = self._vacancy(pk)
        if vacancy is not None and "filled" in request.POST:
            try:
                services.mark_vacancy_filled(vacancy=vacancy, actor=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request, _("Đã đánh dấu “%(title)s” là đã tuyển đủ.") % {"title": vacancy.title}
                )
            return redirect("portal:home")
        form = VacancyForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if not data.get("occupation_code"):
                found = suggest_occupation(data["title"], limit=1)
                data["occupation_code"] = found[0].code if found and found[0].score >= 0.5 else ""
            try:
                saved = services.save_vacancy(
                    employer=self.employer,
                    data=data,
                    actor=request.user,
                    publish="publish" in request.POST,
                    vacancy=vacancy,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Đã lưu vị trí “%(title)s”.") % {"title": saved.title})
                return redirect("portal:home")
        return render(request, "employers/vacancy_form.html", {"form": form, "vacancy": vacancy}, status=400)
