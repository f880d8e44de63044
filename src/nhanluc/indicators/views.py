"""Pages of indicators: the dashboard, one indicator by breakdown and commune (down to the records),
the year's targets, and reported figures with their approval."""

import datetime
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from nhanluc.core.choices import Role
from nhanluc.core.models import Job
from nhanluc.core.services import start_job
from nhanluc.core.views import ScopedViewMixin, file_download
from nhanluc.employers.forms import add_validation_errors
from nhanluc.geo.choices import Level
from nhanluc.indicators import forecasts, services
from nhanluc.indicators.catalogue import BY_CODE, DIMENSIONS, HEADLINE, INDICATORS
from nhanluc.indicators.choices import DataValueStatus
from nhanluc.indicators.data_import import DataImportRefused, import_data_values, write_template
from nhanluc.indicators.forms import DataValueForm, TargetForm, unit_choices
from nhanluc.indicators.legacy import legacy_figures
from nhanluc.indicators.models import DataValue, Target
from nhanluc.indicators.periods import Period, PeriodInvalid, parse_period
from nhanluc.indicators.querysets import AGGREGATE_READERS
from nhanluc.indicators.register import REGISTER_CODES
from nhanluc.indicators.results import ProgressQuery, breakdown_values, commune_values, recent_periods
from nhanluc.indicators.tasks import report_path, write_report_task

TREND_PERIODS = 5
# Filters of the register list that show the people behind a figure.
# Only where a filter selects exactly the people a figure counts (for a rate: its numerator). The
# list is a logged view of personal data: it must not show more people than the figure is about.
RECORD_FILTERS = {
    "employed": {"status": "1"},
    "unemployed": {"status": "2"},
    "inactive": {"status": "3"},
    "unemployment_rate": {"status": "2"},
    "employment_to_population": {"status": "1"},
    "working_other_province": {"status": "1", "workplace_location": "2"},
    "working_abroad": {"status": "1", "workplace_location": "3"},
}
# A breakdown the register list can filter on, and the filter it becomes.
BREAKDOWN_FILTERS = {"sex": "sex", "qualification": "qualification", "workplace": "workplace_location"}


def default_period(today: datetime.date) -> Period:
    """The latest half-year that has ended: what a leader asks about first."""
    if today.month > 6:
        return Period(today.year, "H", 1)
    return Period(today.year - 1, "H", 2)


def _period(request) -> Period:
    text = request.GET.get("period")
    if not text:
        return default_period(timezone.localdate())
    try:
        return parse_period(text)
    except PeriodInvalid:
        messages.error(request, _("Kỳ “%(text)s” không hợp lệ; đang xem kỳ mặc định") % {"text": text})
        return default_period(timezone.localdate())


def _require_reader(user) -> None:
    if not (user.is_superuser or user.role in AGGREGATE_READERS):
        raise PermissionDenied


def _province(user) -> str:
    return user.province_code or settings.NHANLUC_PROVINCE


def records_url(indicator_code: str, period: Period, unit_code: str, breakdown: str = "") -> str | None:
    """The register list filtered to the people a figure counts, or None when no filter expresses it."""
    if indicator_code not in RECORD_FILTERS:
        return None
    query = {
        "as_of": period.stock_date.isoformat(),
        "from_indicator": indicator_code,
        **RECORD_FILTERS[indicator_code],
    }
    if len(unit_code) == 5:
        query["commune"] = unit_code
    if breakdown:
        dimension, _colon, value = breakdown.partition(":")
        if dimension not in BREAKDOWN_FILTERS:
            return None
        query[BREAKDOWN_FILTERS[dimension]] = value
    return f"{reverse('registry:people')}?{urlencode(query)}"


class DashboardView(LoginRequiredMixin, View):
    def get(self, request):
        _require_reader(request.user)
        province = _province(request.user)
        period = _period(request)
        unit = request.user.commune_code if request.user.role == Role.COMMUNE_OFFICER else province
        results = ProgressQuery(province, period, unit).run()
        by_code = {result.indicator.code: result for result in results}
        periods = recent_periods(period, TREND_PERIODS)
        history = {code: [] for code in HEADLINE}
        for earlier in periods:
            for result in ProgressQuery(province, earlier, unit, HEADLINE).run():
                history[result.indicator.code].append(
                    None if result.compared is None else float(result.compared)
                )
        chosen = BY_CODE.get(request.GET.get("indicator", "")) or BY_CODE["unemployment_rate_working_age"]
        if not chosen.is_computed:
            chosen = BY_CODE["unemployment_rate_working_age"]
        names = dict(unit_choices())
        # A commune officer sees their commune and the province, not how other communes rank.
        ranking = (
            []
            if request.user.role == Role.COMMUNE_OFFICER
            else sorted(
                commune_values(province_code=province, period=period, indicator=chosen).items(),
                key=lambda item: item[1],
                reverse=True,
            )
        )
        headline = [by_code[code] for code in HEADLINE]
        chart = {
            "periods": [str(item.code) for item in periods],
            "headline": [
                {
                    "code": result.indicator.code,
                    "name": str(result.indicator.name),
                    "history": history[result.indicator.code],
                    "percent_of_plan": None
                    if result.percent_of_plan is None
                    else float(result.percent_of_plan),
                    "rate": result.indicator.is_rate,
                }
                for result in headline
            ],
            "ranking": {
                "name": str(chosen.name),
                "rate": chosen.is_rate,
                "units": [names.get(code, code) for code, _value in ranking],
                "codes": [code for code, _value in ranking],
                "values": [float(value) for _code, value in ranking],
                "url": reverse("indicators:indicator", args=[chosen.code]) + f"?period={period.code}&unit=",
            },
        }
        return render(
            request,
            "indicators/dashboard.html",
            {
                "period": period,
                "unit_name": names.get(unit, unit),
                "headline": headline,
                "results": results,
                "chosen": chosen,
                "computed": [indicator for indicator in INDICATORS if indicator.is_computed],
                "chart_data": chart,
                "can_plan": services.can_plan(request.user),
            },
        )


class IndicatorView(LoginRequiredMixin, View):
    """One indicator in one unit: its breakdowns, every commune, and the way to the records."""

    def get(self, request, code):
        _require_reader(request.user)
        indicator = BY_CODE.get(code)
        if indicator is None:
            raise Http404
        province = _province(request.user)
        period = _period(request)
        names = dict(unit_choices())
        unit = request.GET.get("unit") or province
        if request.user.role == Role.COMMUNE_OFFICER and unit not in (request.user.commune_code, province):
            raise PermissionDenied
        if unit not in names:
            raise Http404
        result = ProgressQuery(province, period, unit, (indicator.code,)).run()[0]
        breakdowns, communes = [], []
        if indicator.is_computed:
            values = breakdown_values(
                province_code=province, period=period, indicator=indicator, unit_code=unit
            )
            for dimension in indicator.breakdowns:
                title, labels = DIMENSIONS[dimension]
                rows = [
                    {
                        "label": labels[value],
                        "value": values.get(f"{dimension}:{value}"),
                        "records": records_url(code, period, unit, f"{dimension}:{value}"),
                    }
                    for value in labels
                    if f"{dimension}:{value}" in values
                ]
                breakdowns.append({"title": title, "rows": rows})
            if request.user.role != Role.COMMUNE_OFFICER:
                by_commune = commune_values(province_code=province, period=period, indicator=indicator)
                communes = sorted(
                    (
                        {
                            "code": commune,
                            "name": names.get(commune, commune),
                            "value": value,
                            "records": records_url(code, period, commune),
                        }
                        for commune, value in by_commune.items()
                    ),
                    key=lambda row: row["value"],
                    reverse=True,
                )
        legacy_level = (
            request.GET.get("legacy")
            if request.GET.get("legacy") in (Level.DISTRICT, Level.PROVINCE)
            else Level.DISTRICT
        )
        legacy = (
            legacy_figures(province_code=province, period=period, indicator=indicator, level=legacy_level)
            if indicator.is_computed and unit == province and request.user.role != Role.COMMUNE_OFFICER
            else []
        )
        return render(
            request,
            "indicators/indicator.html",
            {
                "indicator": indicator,
                "period": period,
                "unit": unit,
                "unit_name": names.get(unit, unit),
                "result": result,
                "breakdowns": breakdowns,
                "communes": communes,
                "records": records_url(code, period, unit) if indicator.code in REGISTER_CODES else None,
                "is_province": unit == province,
                "legacy": legacy,
                "legacy_level": legacy_level,
            },
        )


class TargetListView(ScopedViewMixin, View):
    model = Target

    def get(self, request):
        _require_reader(request.user)
        return self.render(
            request, TargetForm(user=request.user, initial={"unit_code": _province(request.user)})
        )

    def post(self, request):
        if not services.can_plan(request.user):
            raise PermissionDenied
        form = TargetForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.set_target(
                    indicator_code=data["indicator_code"],
                    unit_code=data["unit_code"],
                    year=self.year(request),
                    value=services.typed_number(data["value"]),
                    breakdown=data["breakdown"],
                    note=data["note"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Đã lưu chỉ tiêu kế hoạch"))
                return redirect(f"{reverse('indicators:targets')}?year={self.year(request)}")
        return self.render(request, form, status=400)

    def year(self, request) -> int:
        text = request.GET.get("year") or request.POST.get("year") or ""
        return int(text) if text.isdigit() else timezone.localdate().year

    def render(self, request, form, status=200):
        year = self.year(request)
        names = dict(unit_choices())
        rows = [
            {
                "target": target,
                "indicator": BY_CODE.get(target.indicator_code),
                "unit_name": names.get(target.unit_code, target.unit_code),
            }
            for target in self.scoped_queryset().for_year(year)
        ]
        return render(
            request,
            "indicators/targets.html",
            {"form": form, "year": year, "rows": rows, "can_plan": services.can_plan(request.user)},
            status=status,
        )


class DataValueListView(ScopedViewMixin, View):
    model = DataValue

    def get(self, request):
        _require_reader(request.user)
        return self.render(request, DataValueForm(user=request.user, initial=self.initial(request)))

    def initial(self, request) -> dict:
        return {
            "unit_code": request.user.commune_code or _province(request.user),
            "period_code": _period(request).code,
        }

    def post(self, request):
        if "file" in request.FILES:
            return self.upload(request)
        if "approve" in request.POST:
            chosen = self.scoped_queryset().filter(pk__in=request.POST.getlist("selected"))
            try:
                count = services.approve_data_values(data_values=list(chosen), actor=request.user)
            except ValidationError as error:
                raise PermissionDenied(" ".join(error.messages)) from None
            messages.success(request, _("Đã duyệt %(count)s số liệu") % {"count": count})
            return redirect(request.get_full_path())
        form = DataValueForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_data_value(
                    indicator_code=data["indicator_code"],
                    unit_code=data["unit_code"],
                    period_code=data["period_code"],
                    value=services.typed_number(data["value"]),
                    breakdown=data["breakdown"],
                    comment=data["comment"],
                    actor=request.user,
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("Đã lưu số liệu; chờ duyệt"))
                return redirect(
                    f"{reverse('indicators:data_values')}?{urlencode({'period': data['period_code']})}"
                )
        return self.render(request, form, status=400)

    def upload(self, request):
        upload = request.FILES["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                result = import_data_values(path, actor=request.user)
            except DataImportRefused as refused:
                messages.error(request, str(refused))
                return self.render(
                    request,
                    DataValueForm(user=request.user, initial=self.initial(request)),
                    status=400,
                    problems=refused.problems,
                )
        messages.success(request, _("Đã nhập %(count)s số liệu; chờ duyệt") % {"count": result.saved})
        return redirect("indicators:data_values")

    def render(self, request, form, status=200, problems=None):
        names = dict(unit_choices())
        values = self.scoped_queryset()
        if request.GET.get("status") in DataValueStatus.values:
            values = values.filter(status=request.GET["status"])
        rows = [
            {
                "value": value,
                "indicator": BY_CODE.get(value.indicator_code),
                "unit_name": names.get(value.unit_code, value.unit_code),
            }
            for value in values.select_related("entered_by", "approved_by").order_by(
                "-period_code", "indicator_code"
            )[:500]
        ]
        return render(
            request,
            "indicators/data_values.html",
            {
                "form": form,
                "rows": rows,
                "can_plan": services.can_plan(request.user),
                "problems": problems or [],
            },
            status=status,
        )


REPORT_KINDS = {
    "mau04": gettext_lazy("Báo cáo thông tin thị trường lao động năm (Mẫu 04)"),
    "progress": gettext_lazy("Báo cáo kết quả thực hiện chỉ tiêu"),
}


class ReportView(LoginRequiredMixin, View):
    """Ask for a report: it is written by a background job whose page shows progress and the file."""

    def get(self, request):
        _require_reader(request.user)
        return render(
            request,
            "indicators/reports.html",
            {
                "period": default_period(timezone.localdate()),
                "kinds": REPORT_KINDS,
                "jobs": Job.objects.visible_to(request.user).filter(kind=write_report_task.name)[:10],
            },
        )

    def post(self, request):
        _require_reader(request.user)
        kind = request.POST.get("kind")
        suffix = request.POST.get("format")
        text = request.POST.get("period", "")
        if kind not in REPORT_KINDS or suffix not in ("xlsx", "docx", "pdf"):
            raise Http404
        try:
            period = parse_period(text)
        except PeriodInvalid as error:
            messages.error(request, str(error))
            return redirect("indicators:reports")
        if kind == "mau04":
            period = Period(period.year, "Y", 1)
        province = _province(request.user)
        file_name = f"{'mau04' if kind == 'mau04' else 'bao-cao-tien-do'}-{province}-{period.code}.{suffix}"
        job = start_job(
            task=write_report_task,
            label=f"{REPORT_KINDS[kind]} — {period.code} ({suffix.upper()})",
            actor=request.user,
            kind=kind,
            period_code=period.code,
            file_name=file_name,
            province_code=province,
        )
        return redirect("core:job", job.pk)


class ReportFileView(LoginRequiredMixin, View):
    """The file a report job wrote, to whoever may see the job (aggregates only: no access log)."""

    def get(self, request, job_id):
        job = get_object_or_404(Job.objects.visible_to(request.user), pk=job_id, kind=write_report_task.name)
        name = (job.result or {}).get("file")
        if not name:
            raise Http404
        path = report_path(job.pk, name)
        if not path.exists():
            raise Http404
        return FileResponse(path.open("rb"), as_attachment=True, filename=name)


def _last_ended_month(today: datetime.date) -> Period:
    return Period(today.year, "M", today.month - 1) if today.month > 1 else Period(today.year - 1, "M", 12)


class ForecastView(LoginRequiredMixin, View):
    """One series forecast with its backtest: an indicator, or the recruitment demand of an occupation
    group, in the province or one commune; for a computed count of the province, every commune's
    forecast, backtested too, reconciled to the province's."""

    def get(self, request):
        _require_reader(request.user)
        province = _province(request.user)
        today = timezone.localdate()
        choice = request.GET.get("series") or "jobs_created"
        names = dict(DIMENSIONS["occupation_group"][1])
        unit_names = dict(unit_choices())
        # A commune officer forecasts their commune (by default) or the province, as on the dashboard;
        # one without a current commune, nothing (an unset scope never widens to the province).
        officer = request.user.role == Role.COMMUNE_OFFICER
        if officer:
            if request.user.commune_code not in unit_names:
                raise PermissionDenied
            units = [(code, unit_names[code]) for code in (request.user.commune_code, province)]
        else:
            units = list(unit_names.items())
        unit = request.GET.get("unit") or units[0][0]
        if officer and unit not in dict(units):
            raise PermissionDenied
        if unit not in unit_names:
            raise Http404
        communes: list[tuple[str, forecasts.CommuneForecast]] = []  # (name, forecast)
        if choice.startswith("demand:") and choice.removeprefix("demand:") in names:
            group = choice.removeprefix("demand:")
            end = _last_ended_month(today)
            series = forecasts.demand_series(
                province_code=province,
                last_month=end.end,
                months=24,
                commune_code=None if unit == province else unit,
            )
            values, labels = series.get(group, ([], []))
            forecast = forecasts.forecast_values(
                values, labels, [p.code for p in forecasts.periods_after(end, 6)], kind="M"
            )
            title = _("Nhu cầu tuyển dụng (vị trí đăng mới mỗi tháng): %(group)s, %(unit)s") % {
                "group": names[group],
                "unit": unit_names[unit],
            }
            indicator = None
            can_split = False
        else:
            indicator = BY_CODE.get(choice) or BY_CODE["jobs_created"]
            if indicator.is_computed:
                end, history, horizon = default_period(today), 10, 2
            else:
                end, history, horizon = _last_ended_month(today), 36, 6
            forecast = forecasts.forecast_indicator(
                province_code=province,
                indicator=indicator,
                period=end,
                history=history,
                horizon=horizon,
                unit_code=unit,
            )
            title = f"{indicator.name}: {unit_names[unit]}"
            can_split = indicator.is_computed and not indicator.is_rate and unit == province and not officer
            if request.GET.get("communes") and can_split:
                reconciled = forecasts.commune_forecasts(
                    province_code=province,
                    indicator=indicator,
                    period=end,
                    history=history,
                    horizon=horizon,
                    province=forecast,
                )
                communes = sorted(
                    (
                        (unit_names.get(commune.code, commune.code), commune)
                        for commune in reconciled.values()
                    ),
                    key=lambda pair: pair[0],
                )
        chart = {
            "labels": [*forecast.history_labels, *forecast.horizon_labels],
            "history": forecast.history,
            "combined": forecast.combined.__dict__ if forecast.combined else None,
            "rate": bool(indicator and indicator.is_rate),
        }
        options = [(item.code, item.name) for item in INDICATORS] + [
            (f"demand:{code}", _("Nhu cầu tuyển dụng: %(group)s") % {"group": label})
            for code, label in names.items()
        ]
        return render(
            request,
            "indicators/forecast.html",
            {
                "title": title,
                "choice": choice,
                "options": options,
                "forecast": forecast,
                "indicator": indicator,
                "communes": communes,
                "units": units,
                "unit": unit,
                "can_split": can_split,
                "chart_data": chart,
                "decimals": 2 if indicator and indicator.is_rate else 0,
                "period": default_period(today),
            },
        )


class DataValueTemplateView(LoginRequiredMixin, View):
    def get(self, request):
        _require_reader(request.user)
        return file_download(write_template, filename="mau-so-lieu-bao-cao.xlsx")


class RefreshView(LoginRequiredMixin, View):
    """Recompute a period's figures now (they are otherwise recomputed when data change)."""

    def post(self, request):
        if not services.can_plan(request.user):
            raise PermissionDenied
        period = _period(request)
        count = services.refresh_figures(province_code=_province(request.user), period=period)
        messages.success(
            request,
            _("Đã tính lại %(count)s số liệu kỳ %(period)s") % {"count": count, "period": period.code},
        )
        return redirect(f"{reverse('indicators:dashboard')}?period={period.code}")
