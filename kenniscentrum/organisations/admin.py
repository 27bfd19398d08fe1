from django.contrib import admin

from kenniscentrum.lib.admin_site import AuditedAdmin, site

from .models import Municipality, Organisation


@admin.register(Municipality, site=site)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["name", "cbs_code", "active"]
    search_fields = ["name", "cbs_code"]


@admin.register(Organisation, site=site)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "type", "municipality", "other_region", "active"]
    list_filter = ["type", "active", "other_region"]
    list_select_related = ["municipality"]
    search_fields = ["name"]
