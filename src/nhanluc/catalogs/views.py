from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from nhanluc.catalogs.choices import CODE_LIST_VERSION, PERSON_CODE_LISTS, VSCO_VERSION, IndustryLevel
from nhanluc.catalogs.models import Industry, Occupation, TrainingField
from nhanluc.catalogs.suggest import suggest_occupation
from nhanluc.catalogs.tasks import load_reference_task
from nhanluc.core.services import start_job
from nhanluc.core.views import ScopedViewMixin


class CatalogIndexView(ScopedViewMixin, View):
    model = Occupation

    def get(self, request):
        return render(
            request,
            "catalogs/index.html",
            {
                "occupation_count": self.scoped_queryset().filter(level=4).count(),
                "industry_count": Industry.objects.visible_to(request.user)
                .filter(level=IndustryLevel.SUBCLASS)
                .count(),
                "training_field_count": TrainingField.objects.visible_to(request.user).count(),
                "code_list_count": len(PERSON_CODE_LISTS),
            },
        )


class ReloadReferenceView(ScopedViewMixin, View):
    """Province administrators reload geography and catalogs as a background job with live progress."""

    model = Occupation

    def post(self, request):
        if not request.user.is_province_admin:
            return HttpResponseForbidden()
        job = start_job(task=load_reference_task, label=_("Nạp lại dữ liệu tham chiếu"), actor=request.user)
        messages.info(request, _("Đã đưa vào hàng đợi; tiến độ hiển thị bên dưới."))
        return redirect("core:job", pk=job.pk)


class SearchListView(ScopedViewMixin, View):
    """A searchable catalog list; htmx asks for the rows only while the user types."""

    template_name = ""
    rows_template = ""
    limit = 200

    def rows(self, query: str):
        return self.scoped_queryset().search(query)

    def get(self, request):
        query = request.GET.get("q", "").strip()
        rows = self.rows(query)
        context = {"query": query, "rows": rows[: self.limit], "total": rows.count(), "limit": self.limit}
        template = self.rows_template if request.headers.get("HX-Request") else self.template_name
        return render(request, template, context)


class OccupationListView(SearchListView):
    model = Occupation
    template_name = "catalogs/occupation_list.html"
    rows_template = "catalogs/_occupation_rows.html"
    limit = 600

    def rows(self, query):
        return super().rows(query).select_related("parent").order_by("code")


class OccupationDetailView(ScopedViewMixin, View):
    model = Occupation

    def get(self, request, code):
        occupation = get_object_or_404(
            self.scoped_queryset().filter(version=VSCO_VERSION).select_related("parent"), code=code
        )
        return render(
            request,
            "catalogs/occupation_detail.html",
            {
                "occupation": occupation,
                "titles": occupation.titles.order_by("-is_official_name", "title"),
                "children": occupation.children.order_by("code"),
            },
        )


class IndustryListView(SearchListView):
    model = Industry
    template_name = "catalogs/industry_list.html"
    rows_template = "catalogs/_industry_rows.html"
    limit = 1300

    def rows(self, query):
        return super().rows(query).order_by("code")


class TrainingFieldListView(SearchListView):
    model = TrainingField
    template_name = "catalogs/training_field_list.html"
    rows_template = "catalogs/_training_field_rows.html"

    def rows(self, query):
        return super().rows(query).order_by("code")


class CodeListsView(ScopedViewMixin, View):
    model = Occupation

    def get(self, request):
        lists = [
            {"key": key, "title": title, "choices": choices.choices}
            for key, title, choices in PERSON_CODE_LISTS
        ]
        return render(request, "catalogs/code_lists.html", {"lists": lists, "version": CODE_LIST_VERSION})


class SuggestOccupationView(ScopedViewMixin, View):
    model = Occupation

    def get(self, request):
        text = request.GET.get("text", "").strip()
        suggestions = suggest_occupation(text, limit=8) if text else []
        template = (
            "catalogs/_suggestions.html" if request.headers.get("HX-Request") else "catalogs/suggest.html"
        )
        return render(request, template, {"text": text, "suggestions": suggestions})
