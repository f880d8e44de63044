from django.contrib import admin

from nhanluc.catalogs.models import Industry, Occupation, OccupationTitle, TrainingField


class OccupationTitleInline(admin.TabularInline):
    model = OccupationTitle
    extra = 0
    fields = ("title", "is_official_name")


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "version")
    list_filter = ("version", "level")
    search_fields = ("code", "search_name")
    inlines = [OccupationTitleInline]


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "version")
    list_filter = ("version", "level")
    search_fields = ("code", "search_name")


@admin.register(TrainingField)
class TrainingFieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "version")
    search_fields = ("code", "search_name")
