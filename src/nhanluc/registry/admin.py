from django.contrib import admin

from nhanluc.registry.models import AddressReview, Household, ImportBatch, LaborSituation, Person, SurveyRound


@admin.register(SurveyRound)
class SurveyRoundAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province_code", "reference_date"]


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "survey_round", "commune_code", "status", "created_at"]
    list_filter = ["status", "layout"]
    readonly_fields = ["summary"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    # Personal records are read through the officer pages, which mask and log access; the admin
    # only lists identifiers for support work.
    list_display = ["id", "full_name", "commune_code", "created_at"]
    search_fields = ["search_name"]
    exclude = ["ethnicity", "priority_groups", "phone"]


@admin.register(LaborSituation)
class LaborSituationAdmin(admin.ModelAdmin):
    list_display = ["person_id", "commune_code", "activity_status", "valid_from", "valid_to", "source"]
    raw_id_fields = ["person", "batch"]


admin.site.register(Household)
admin.site.register(AddressReview)
