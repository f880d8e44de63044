from django.contrib import admin

from nhanluc.employers.models import Employer, EmployerAccount, ForeignWorker, Vacancy, WorkforceReport


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "tax_code", "province_code", "commune_code", "ownership", "size_band"]
    search_fields = ["tax_code", "search_name"]
    list_filter = ["ownership", "legal_form", "size_band"]


@admin.register(EmployerAccount)
class EmployerAccountAdmin(admin.ModelAdmin):
    list_display = ["user", "employer", "status", "requested_at", "decided_at"]
    list_filter = ["status"]
    raw_id_fields = ["user", "employer", "decided_by"]


@admin.register(WorkforceReport)
class WorkforceReportAdmin(admin.ModelAdmin):
    # Totals only: the per-worker lists are personal data, read through the logged staff pages.
    list_display = ["employer", "year", "period", "kind", "status", "version", "headcount", "filed_at"]
    list_filter = ["year", "period", "kind", "status"]
    raw_id_fields = ["employer", "filed_by"]


@admin.register(Vacancy)
class VacancyAdmin(admin.ModelAdmin):
    list_display = ["title", "employer_name", "province_code", "status", "source", "deadline"]
    list_filter = ["status", "source"]
    search_fields = ["search_text"]
    raw_id_fields = ["employer"]


@admin.register(ForeignWorker)
class ForeignWorkerAdmin(admin.ModelAdmin):
    list_display = ["full_name", "nationality", "employer", "permit_number", "permit_to"]
    raw_id_fields = ["employer"]
