from django.contrib import admin

from kollegium.records.models import AccessibilityReport


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reporter", "page", "handled_at"]
    list_filter = ["handled_at"]
    search_fields = ["message", "page"]
    readonly_fields = ["reporter", "page", "message", "created_at"]
