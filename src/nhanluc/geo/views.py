from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from nhanluc.core.choices import Role
from nhanluc.core.views import ScopedViewMixin
from nhanluc.geo.models import AdminUnit, UnitSuccession


class ProvinceListView(ScopedViewMixin, View):
    model = AdminUnit

    def get(self, request):
        provinces = (
            self.scoped_queryset()
            .current()
            .provinces()
            .annotate(commune_count=Count("children", filter=Q(children__level="commune")))
            .order_by("code")
        )
        return render(request, "geo/province_list.html", {"provinces": provinces})


class ProvinceDetailView(ScopedViewMixin, View):
    """A province's communes, searchable without diacritics, and the legacy provinces behind it."""

    model = AdminUnit

    def get(self, request, code):
        units = self.scoped_queryset()
        province = get_object_or_404(units.current().provinces(), code=code)
        query = request.GET.get("q", "").strip()
        communes = units.current().communes().in_province(province.code).search(query).order_by("search_name")
        context = {"province": province, "communes": communes, "query": query}
        if request.headers.get("HX-Request"):
            return render(request, "geo/_commune_rows.html", context)
        context["type_counts"] = (
            units.current()
            .communes()
            .in_province(province.code)
            .values("division_type")
            .annotate(n=Count("id"))
            .order_by("division_type")
        )
        context["legacy_provinces"] = [
            s.old
            for s in UnitSuccession.objects.visible_to(request.user)
            .filter(new=province)
            .select_related("old")
            .order_by("old__code")
        ]
        return render(request, "geo/province_detail.html", context)


class CommuneDetailView(ScopedViewMixin, View):
    """A current commune and the legacy communes (with their district and province) that became it."""

    model = AdminUnit

    def get(self, request, code):
        commune = get_object_or_404(
            self.scoped_queryset().current().communes().select_related("parent"), code=code
        )
        predecessors = (
            UnitSuccession.objects.visible_to(request.user)
            .filter(new=commune)
            .select_related("old__parent__parent")
            .order_by("old__code")
        )
        return render(request, "geo/commune_detail.html", {"commune": commune, "predecessors": predecessors})


class LegacyUnitDetailView(ScopedViewMixin, View):
    """A legacy unit and the current unit(s) it became; split communes are shown as such."""

    model = AdminUnit

    def get(self, request, code):
        unit = get_object_or_404(self.scoped_queryset().legacy().select_related("parent__parent"), code=code)
        successors = (
            UnitSuccession.objects.visible_to(request.user)
            .filter(old=unit)
            .select_related("new__parent")
            .order_by("new__code")
        )
        children = unit.children.order_by("code") if unit.level != "commune" else []
        return render(
            request, "geo/legacy_detail.html", {"unit": unit, "successors": successors, "children": children}
        )


class UnitSearchView(ScopedViewMixin, View):
    """Search every unit, current and legacy, by name without diacritics ("chi linh")."""

    model = AdminUnit
    limit = 50

    def get(self, request):
        query = request.GET.get("q", "").strip()
        current, legacy = [], []
        if query:
            units = self.scoped_queryset().search(query).select_related("parent")
            current = list(units.current().order_by("level", "search_name")[: self.limit])
            legacy = list(units.legacy().order_by("level", "search_name")[: self.limit])
        template = "geo/_search_results.html" if request.headers.get("HX-Request") else "geo/search.html"
        return render(request, template, {"query": query, "current": current, "legacy": legacy})


class AreaPickerView(ScopedViewMixin, View):
    """The working-area picker of the page header: a commune of the deployment province, or all.

    Commune officers are fixed to their commune; the choice only narrows what pages show first,
    it never widens what `visible_to` allows.
    """

    model = AdminUnit

    def get(self, request):
        communes = (
            self.scoped_queryset()
            .current()
            .communes()
            .in_province(settings.NHANLUC_PROVINCE)
            .order_by("search_name")
            .only("code", "name")
        )
        if request.user.role == Role.COMMUNE_OFFICER:
            communes = communes.filter(code=request.user.commune_code)
        return render(
            request,
            "geo/_picker.html",
            {
                "communes": communes,
                "picked": request.session.get("picked_commune", ""),
            },
        )

    def post(self, request):
        code = request.POST.get("commune", "")
        if request.user.role == Role.COMMUNE_OFFICER:
            code = request.user.commune_code
        elif code and not self.scoped_queryset().current().communes().filter(code=code).exists():
            code = ""
        request.session["picked_commune"] = code
        target = request.POST.get("next", "/")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "/"
        return HttpResponseRedirect(target)
