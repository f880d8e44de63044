import tempfile
from pathlib import Path

from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.views import View
from django.views.generic import TemplateView

from nhanluc.core.filters import filter_log
from nhanluc.core.forms import AccessFilterForm, AuditFilterForm, ThrottledLoginForm
from nhanluc.core.models import AccessLog, AuditEvent, Job
from nhanluc.core.pagination import keyset_page


def file_download(write, *, filename: str) -> FileResponse:
    """Write a file with `write(path)` and send it; the file is gone from disk once the response closes."""
    folder = Path(tempfile.mkdtemp(prefix="nhanluc-"))
    path = folder / filename
    write(path)
    handle = path.open("rb")
    # The open handle keeps the content readable after the name is removed (POSIX).
    path.unlink()
    folder.rmdir()
    return FileResponse(handle, as_attachment=True, filename=filename)


class ScopedViewMixin(LoginRequiredMixin):
    """Base of every view that reads rows: the queryset always starts from `visible_to(user)`."""

    model = None

    def scoped_queryset(self):
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a model")
        return self.model.objects.visible_to(self.request.user)


class ProvinceAdminRequiredMixin(UserPassesTestMixin):
    def test_func(self):
        return self.request.user.is_authenticated and self.request.user.is_province_admin


class LoginView(auth_views.LoginView):
    form_class = ThrottledLoginForm
    template_name = "core/login.html"
    redirect_authenticated_user = True


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_jobs"] = Job.objects.visible_to(self.request.user)[:5]
        return context


class LogListView(ProvinceAdminRequiredMixin, ScopedViewMixin, View):
    """The audit log and the personal-data access log: filterable, keyset-paginated."""

    form_class = None
    template_name = ""

    def get(self, request):
        form = self.form_class(request.GET or None)
        queryset = self.scoped_queryset().select_related("actor")
        if form.is_valid():
            queryset = filter_log(queryset, form.cleaned_data)
        page = keyset_page(queryset, after=request.GET.get("after"))
        query = request.GET.copy()
        query.pop("after", None)
        return render(
            request,
            self.template_name,
            {"form": form, "page": page, "filter_query": query.urlencode()},
        )


class AuditListView(LogListView):
    model = AuditEvent
    form_class = AuditFilterForm
    template_name = "core/audit_list.html"


class AccessLogListView(LogListView):
    model = AccessLog
    form_class = AccessFilterForm
    template_name = "core/access_list.html"


class JobListView(ScopedViewMixin, View):
    model = Job

    def get(self, request):
        page = keyset_page(
            self.scoped_queryset().select_related("created_by"), after=request.GET.get("after")
        )
        return render(request, "core/job_list.html", {"page": page})


class JobDetailView(ScopedViewMixin, View):
    model = Job

    def get(self, request, pk):
        job = get_object_or_404(self.scoped_queryset(), pk=pk)
        # htmx polls the same URL for the status fragment until the job ends.
        template = "core/_job_status.html" if request.headers.get("HX-Request") else "core/job_detail.html"
        return render(request, template, {"job": job})
