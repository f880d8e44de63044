from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from nhanluc.core.models import AccessLog, AuditEvent, Job, User


@admin.register(User)
class NhanLucUserAdmin(UserAdmin):
    list_display = ("username", "get_full_name", "role", "province_code", "commune_code", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "Phạm vi dữ liệu",
            {
                "fields": (
                    "role",
                    "province_code",
                    "commune_code",
                    "employer_id",
                    "institution_id",
                    "person_id",
                )
            },
        ),
    )


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_id", "source")
    list_filter = ("action", "object_type")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "kind", "purpose", "object_type", "record_count")
    list_filter = ("kind", "object_type")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "label", "status", "created_by", "progress_done", "progress_total")
    list_filter = ("status", "kind")
