from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from kollegium.core.services import audit_record
from kollegium.organisations.models import (
    DevelopmentFocus,
    Invitation,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    OwnerStaff,
    Stage,
    Subject,
    Team,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "school_unit_code", "organisation_number"]
    list_filter = ["kind"]
    search_fields = ["name", "name_en", "school_unit_code", "organisation_number"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "school__name"]
    autocomplete_fields = ["user", "school"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "kind"]
    search_fields = ["name", "school__name"]


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["school"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "is_open", "created_at"]
    search_fields = ["name"]
    inlines = [NetworkMembershipInline]


@admin.register(OwnerStaff)
class OwnerStaffAdmin(admin.ModelAdmin):
    """Installation administrators give (and take back) the owner's development-staff role.

    A role that opens a view across many schools is a sensitive action: every change is in the
    audit log, as role changes at a school are."""

    list_display = ["user", "owner", "title", "created_at"]
    list_select_related = ["user", "owner"]
    search_fields = ["user__email", "user__full_name", "owner__name"]
    autocomplete_fields = ["user", "owner"]
    readonly_fields = ["created_at"]

    def save_model(self, request: HttpRequest, obj: OwnerStaff, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _audit(request, "owner_staff.changed" if change else "owner_staff.added", obj)

    def delete_model(self, request: HttpRequest, obj: OwnerStaff) -> None:
        _audit(request, "owner_staff.removed", obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OwnerStaff]) -> None:
        for obj in queryset:
            _audit(request, "owner_staff.removed", obj)
        super().delete_queryset(request, queryset)


def _audit(request: HttpRequest, action: str, obj: OwnerStaff) -> None:
    audit_record(
        actor=request.user,
        action=action,
        target=obj,
        data={"user": obj.user_id, "owner": obj.owner_id, "title": obj.title},
    )


admin.site.register(DevelopmentFocus)
admin.site.register(Subject)
admin.site.register(Stage)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "school",
        "role",
        "created_at",
        "expires_at",
        "accepted_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    search_fields = ["email", "school__name"]
    readonly_fields = ["token_hash", "created_at", "accepted_at", "accepted_by", "invited_by"]
