from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from nhanluc.catalogs.suggest import suggest_occupation
from nhanluc.core.choices import AccessKind, Role
from nhanluc.core.forms import client_address
from nhanluc.core.models import AuditEvent
from nhanluc.core.pagination import keyset_page
from nhanluc.core.privacy import sees_identifiers, sees_sensitive
from nhanluc.core.services import log_access
from nhanluc.core.views import ScopedViewMixin, file_download
from nhanluc.geo.models import AdminUnit
from nhanluc.registry import services
from nhanluc.registry.choices import ErrorCategory, ImportLayout, ReviewStatus
from nhanluc.registry.exports import present, stream_csv, write_xlsx
from nhanluc.registry.filters import filter_people, situations_on
from nhanluc.registry.forms import (
    DecreaseForm,
    ImportForm,
    PersonFilterForm,
    PersonForm,
    TemplateForm,
    initial_from,
)
from nhanluc.registry.imports import get_or_create_round
from nhanluc.registry.models import AddressReview, ImportBatch, LaborSituation, Person
from nhanluc.registry.workbook import write_flat_template, write_survey_workbook


def _commune_names(codes) -> dict[str, str]:
    return dict(AdminUnit.objects.current().filter(code__in=set(codes)).values_list("code", "name"))


def _require_editor(user) -> None:
    if not services.can_edit_register(user):
        raise PermissionDenied


def _query_for_log(form) -> dict:
    return {key: str(value) for key, value in form.cleaned_data.items() if value not in (None, "", False)}


class PersonListView(ScopedViewMixin, View):
    """The register: filters, keyset pages, name/CCCD search, CSV/XLSX export of the filtered list."""

    model = Person

    def get(self, request):
        form = PersonFilterForm(request.GET or None, user=request.user)
        data = form.cleaned_data if form.is_valid() else {}
        day = data.get("as_of") or timezone.localdate()
        people = filter_people(self.scoped_queryset(), data)
        export = request.GET.get("export")
        if export in ("csv", "xlsx") and form.is_valid():
            return self.export(request, people, form, day, export)
        page = keyset_page(people.select_related("household"), after=request.GET.get("after"))
        situations = situations_on([person.pk for person in page.rows], day)
        rows = [present(person, situations.get(person.pk), request.user) for person in page.rows]
        communes = _commune_names(row["commune_code"] for row in rows)
        for row in rows:
            row["commune_name"] = communes.get(row["commune_code"], row["commune_code"])
        if request.GET.get("from_indicator") and not data.get("q"):
            # The records behind a dashboard figure: a view of personal data, logged with the figure.
            log_access(
                actor=request.user,
                kind=AccessKind.VIEW,
                purpose=_("Xem danh sách người lao động của chỉ tiêu %(code)s")
                % {"code": request.GET["from_indicator"][:48]},
                object_type="registry.person",
                object_ids=[row["id"] for row in rows],
                query=_query_for_log(form),
                client_address=client_address(request),
            )
        if data.get("q"):
            # Looking a person up by name or CCCD is a search of personal data.
            log_access(
                actor=request.user,
                kind=AccessKind.SEARCH,
                purpose=_("Tra cứu sổ đăng ký lao động"),
                object_type="registry.person",
                object_ids=[row["id"] for row in rows],
                query=_query_for_log(form),
                client_address=client_address(request),
            )
        query = request.GET.copy()
        query.pop("after", None)
        query.pop("export", None)
        return render(
            request,
            "registry/person_list.html",
            {
                "form": form,
                "page": page,
                "rows": rows,
                "day": day,
                "filter_query": query.urlencode(),
                "can_edit": services.can_edit_register(request.user),
            },
        )

    def export(self, request, people, form, day, kind):
        count = people.count()
        log_access(
            actor=request.user,
            kind=AccessKind.EXPORT,
            purpose=_("Xuất danh sách sổ đăng ký lao động (%(kind)s)") % {"kind": kind.upper()},
            object_type="registry.person",
            record_count=count,
            query=_query_for_log(form),
            client_address=client_address(request),
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        if kind == "csv":
            response = StreamingHttpResponse(
                stream_csv(people, day=day, user=request.user, language=get_language() or "vi"),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="so-lao-dong-{stamp}.csv"'
            return response
        return file_download(
            lambda path: write_xlsx(people, day=day, user=request.user, path=path),
            filename=f"so-lao-dong-{stamp}.xlsx",
        )


class PersonDetailView(ScopedViewMixin, View):
    model = Person

    def get(self, request, pk):
        person = get_object_or_404(self.scoped_queryset().select_related("household"), pk=pk)
        log_access(
            actor=request.user,
            kind=AccessKind.VIEW,
            purpose=_("Xem hồ sơ người lao động"),
            object_type="registry.person",
            object_ids=[person.pk],
            client_address=client_address(request),
        )
        timeline = list(
            LaborSituation.objects.visible_to(request.user)
            .filter(person=person)
            .select_related("survey_round", "batch")
            .order_by("-valid_from")
        )
        current = next((situation for situation in timeline if situation.valid_to is None), None)
        history = AuditEvent.objects.filter(object_type="registry.person", object_id=str(person.pk)).order_by(
            "-at"
        )[:20]
        communes = _commune_names([person.commune_code, person.permanent_commune_code])
        return render(
            request,
            "registry/person_detail.html",
            {
                "person": person,
                "values": present(person, current, request.user),
                "current": current,
                "timeline": timeline,
                "history": history
                if request.user.is_province_admin or request.user.role == Role.COMMUNE_OFFICER
                else [],
                "commune_name": communes.get(person.commune_code, person.commune_code),
                "permanent_commune_name": communes.get(person.permanent_commune_code, ""),
                "identifiers": sees_identifiers(request.user),
                "sensitive": sees_sensitive(request.user),
                "household_poverty": person.household.get_poverty_status_display()
                if person.household_id and person.household.poverty_status and sees_sensitive(request.user)
                else "",
                "can_edit": services.can_edit_register(request.user) and not person.left_on,
                "reviews": person.address_reviews.filter(status=ReviewStatus.OPEN),
            },
        )


class PersonCreateView(ScopedViewMixin, View):
    model = Person

    def get(self, request):
        _require_editor(request.user)
        initial = {"commune_code": request.user.commune_code} if request.user.commune_code else {}
        return self.show(request, PersonForm(user=request.user, initial=initial))

    def post(self, request):
        _require_editor(request.user)
        form = PersonForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                person = services.register_person(
                    data=form.record_data(), actor=request.user, valid_from=form.cleaned_data["valid_from"]
                )
            except services.RecordInvalid as invalid:
                form.add_problems(invalid.problems)
            except PermissionError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Đã thêm %(name)s vào sổ đăng ký.") % {"name": person.full_name})
                return redirect("registry:person", pk=person.pk)
        return self.show(request, form)

    def show(self, request, form, person=None):
        return render(request, "registry/person_form.html", {"form": form, "person": person})


class PersonUpdateView(PersonCreateView):
    def get(self, request, pk):
        _require_editor(request.user)
        person = get_object_or_404(self.scoped_queryset().select_related("household"), pk=pk)
        current = person.situations.filter(valid_to__isnull=True).first()
        form = PersonForm(user=request.user, person=person, initial=initial_from(person, current))
        return self.show(request, form, person)

    def post(self, request, pk):
        _require_editor(request.user)
        person = get_object_or_404(self.scoped_queryset().select_related("household"), pk=pk)
        current = person.situations.filter(valid_to__isnull=True).first()
        form = PersonForm(
            request.POST, user=request.user, person=person, initial=initial_from(person, current)
        )
        if form.is_valid():
            try:
                changes = services.update_person(
                    person=person,
                    data=form.record_data(),
                    actor=request.user,
                    valid_from=form.cleaned_data["valid_from"],
                )
            except services.RecordInvalid as invalid:
                form.add_problems(invalid.problems)
            except PermissionError as refused:
                form.add_error(None, str(refused))
            else:
                if changes:
                    messages.success(request, _("Đã cập nhật hồ sơ."))
                else:
                    messages.info(request, _("Không có thay đổi."))
                return redirect("registry:person", pk=person.pk)
        return self.show(request, form, person)


class PersonDecreaseView(ScopedViewMixin, View):
    model = Person

    def get(self, request, pk):
        _require_editor(request.user)
        person = get_object_or_404(self.scoped_queryset(), pk=pk)
        form = DecreaseForm(initial={"on": timezone.localdate()})
        return render(request, "registry/person_decrease.html", {"person": person, "form": form})

    def post(self, request, pk):
        _require_editor(request.user)
        person = get_object_or_404(self.scoped_queryset(), pk=pk)
        form = DecreaseForm(request.POST)
        if form.is_valid():
            try:
                services.record_decrease(
                    person=person,
                    reason=form.cleaned_data["reason"],
                    on=form.cleaned_data["on"],
                    actor=request.user,
                )
            except services.RecordInvalid as invalid:
                for key, problems in invalid.problems.items():
                    for message in problems:
                        form.add_error(key if key in form.fields else None, message)
            else:
                messages.success(request, _("Đã ghi giảm %(name)s.") % {"name": person.full_name})
                return redirect("registry:person", pk=person.pk)
        return render(request, "registry/person_decrease.html", {"person": person, "form": form})


class SuggestOccupationView(ScopedViewMixin, View):
    """Occupation codes for the job title typed in the person form (an htmx fragment)."""

    model = Person

    def get(self, request):
        text = request.GET.get("job_title", "").strip()
        suggestions = suggest_occupation(text, limit=5) if len(text) >= 2 else []
        return render(
            request, "registry/_occupation_choices.html", {"suggestions": suggestions, "text": text}
        )


class ImportView(ScopedViewMixin, View):
    """Upload a survey file; the import runs as a job whose progress the next page shows."""

    model = ImportBatch

    def get(self, request):
        _require_editor(request.user)
        return self.show(request, ImportForm(user=request.user))

    def post(self, request):
        _require_editor(request.user)
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            survey_round = form.cleaned_data["survey_round"] or get_or_create_round(
                code=form.cleaned_data["new_round"],
                province_code=settings.NHANLUC_PROVINCE,
                actor=request.user,
            )
            job = services.start_survey_import(
                upload=form.cleaned_data["file"],
                survey_round=survey_round,
                actor=request.user,
                commune_code=request.user.commune_code or form.cleaned_data.get("commune") or "",
                mode=form.cleaned_data["mode"],
            )
            messages.info(request, _("Đã nhận tệp; đang kiểm tra và nhập."))
            return redirect("core:job", pk=job.pk)
        return self.show(request, form)

    def show(self, request, form):
        batches = self.scoped_queryset().select_related("survey_round", "created_by")[:20]
        return render(
            request,
            "registry/import.html",
            {"form": form, "batches": batches, "shapes": ImportLayout.choices},
        )


class BlankTemplateView(ScopedViewMixin, View):
    """The blank workbook to fill in: either Mẫu 01 shape for the officer's commune, or the flat template."""

    model = Person

    def get(self, request):
        form = TemplateForm(request.GET)
        if not form.is_valid():
            raise Http404
        shape = form.cleaned_data["shape"]
        kind = "csv" if shape == ImportLayout.FLAT and form.cleaned_data["format"] == "csv" else "xlsx"
        if shape == ImportLayout.FLAT:
            return file_download(write_flat_template, filename=f"mau-phang-so-lao-dong.{kind}")
        commune = AdminUnit.objects.current().filter(code=request.user.commune_code).first()
        province = AdminUnit.objects.current().provinces().filter(code=settings.NHANLUC_PROVINCE).first()
        variant = "o-danh-dau" if shape == ImportLayout.SURVEY_TICKS else "cot-ma"
        return file_download(
            lambda path: write_survey_workbook(
                path,
                [],
                shape=shape,
                province_name=province.name if province else "",
                commune_name=commune.name if commune else "",
                commune_code=commune.code if commune else "",
                round_code=str(timezone.localdate().year),
            ),
            filename=f"mau01-{variant}-{commune.code if commune else 'trang'}.xlsx",
        )


def error_categories(summary: dict) -> list[tuple[str, int]]:
    """(category name, errors) of a batch, largest first, without the empty ones."""
    counts = summary.get("errors_by_category") or {}
    labels = dict(ErrorCategory.choices)
    found = [(str(labels.get(key, key)), count) for key, count in counts.items() if count]
    return sorted(found, key=lambda item: -item[1])


class BatchDetailView(ScopedViewMixin, View):
    """What one imported file held and changed, its error workbook, and the commune's register now."""

    model = ImportBatch

    def get(self, request, pk):
        batch = get_object_or_404(self.scoped_queryset().select_related("survey_round", "created_by"), pk=pk)
        summary = batch.summary or {}
        counts = None
        if batch.commune_code:
            situations = (
                LaborSituation.objects.visible_to(request.user)
                .as_of(batch.survey_round.reference_date)
                .in_commune(batch.commune_code)
                .filter(person__left_on__isnull=True)
            )
            counts = {
                "people": Person.objects.visible_to(request.user)
                .in_commune(batch.commune_code)
                .present()
                .count(),
                "employed": situations.employed().count(),
                "unemployed": situations.unemployed().count(),
                "inactive": situations.inactive().count(),
            }
        return render(
            request,
            "registry/batch_detail.html",
            {
                "batch": batch,
                "summary": summary,
                "categories": error_categories(summary),
                "counts": counts,
                "commune_name": _commune_names([batch.commune_code]).get(batch.commune_code, ""),
            },
        )


class BatchErrorsView(ScopedViewMixin, View):
    model = ImportBatch

    def get(self, request, pk):
        batch = get_object_or_404(self.scoped_queryset(), pk=pk)
        if not batch.error_file:
            raise Http404
        log_access(
            actor=request.user,
            kind=AccessKind.EXPORT,
            purpose=_("Tải tệp lỗi của lượt nhập"),
            object_type="registry.importbatch",
            object_ids=[batch.pk],
            record_count=(batch.summary or {}).get("rows_with_errors", 0),
            client_address=client_address(request),
        )
        return FileResponse(
            batch.error_file.open("rb"), as_attachment=True, filename=f"{Path(batch.file_name).stem}-loi.xlsx"
        )


class AddressReviewListView(ScopedViewMixin, View):
    """Addresses of split pre-2025 communes: the officer picks the current commune."""

    model = AddressReview

    def get(self, request):
        reviews = list(
            self.scoped_queryset()
            .filter(status=ReviewStatus.OPEN)
            .select_related("person")
            .order_by("commune_code", "pk")[:200]
        )
        names = _commune_names(
            [code for review in reviews for code in review.candidates]
            + [review.commune_code for review in reviews]
        )
        legacy = dict(
            AdminUnit.objects.legacy()
            .filter(code__in={review.legacy_commune_code for review in reviews})
            .values_list("code", "name")
        )
        for review in reviews:
            review.choices = [(code, names.get(code, code)) for code in review.candidates]
            review.legacy_name = legacy.get(review.legacy_commune_code, review.legacy_commune_code)
        return render(
            request,
            "registry/address_reviews.html",
            {
                "reviews": reviews,
                "open_count": self.scoped_queryset().filter(status=ReviewStatus.OPEN).count(),
                "can_edit": services.can_edit_register(request.user),
            },
        )

    def post(self, request):
        _require_editor(request.user)
        review = get_object_or_404(
            self.scoped_queryset().filter(status=ReviewStatus.OPEN).select_related("person"),
            pk=request.POST.get("review"),
        )
        try:
            services.resolve_address_review(
                review=review, commune_code=request.POST.get("commune_code", ""), actor=request.user
            )
        except services.RecordInvalid as invalid:
            for problems in invalid.problems.values():
                for message in problems:
                    messages.error(request, message)
        else:
            messages.success(
                request, _("Đã xác định xã mới cho %(name)s.") % {"name": review.person.full_name}
            )
        return redirect("registry:address_reviews")
