from django.contrib import admin

from nhanluc.geo.models import AdminUnit, UnitSuccession


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "scheme", "level", "division_type", "province_code")
    list_filter = ("scheme", "level", "division_type")
    search_fields = ("code", "search_name")


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ("old", "new", "partial")
    list_filter = ("partial",)
    raw_id_fields = ("old", "new")
