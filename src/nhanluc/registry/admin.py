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
    # Sex, date of birth and commune are copied onto the situations and counted by the indicators:
    # they change through the register's forms and import (registry.services), never here.
    readonly_fields = ["cccd", "sex", "birth_date", "province_code", "commune_code"]


@admin.register(LaborSituation)
class LaborSituationAdmin(admin.ModelAdmin):
    list_display = ["person_id", "commune_code", "activity_status", "valid_from", "valid_to", "source"]
    raw_id_fields = ["person", "batch"]

    # Situations are written by the register's services and import, which keep their copies of the
    # person's sex and date of birth and note the change for the indicators; the admin only reads.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


admin.site.register(Household)
admin.site.register(AddressReview)
