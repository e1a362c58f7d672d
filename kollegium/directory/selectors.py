"""Reads of the directory sync: Kollegium's side for the planner, and the admin pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kollegium.accounts.models import User
from kollegium.directory.core.plan import (
    LocalMembership,
    LocalPerson,
    LocalSchool,
    LocalState,
    LocalTeam,
)
from kollegium.directory.models import (
    DirectorySource,
    PersonIdentity,
    RemoteRecord,
    SignInConnection,
    SyncRefusal,
    SyncRun,
)
from kollegium.organisations.models import Membership, Organisation, Team, TeamMembership

#: Why a record was refused or a run failed, in the administrator's language.
REASONS: dict[str, Any] = {
    "not_an_object": _("The record is not a JSON object."),
    "missing_id": _("The record has no valid id (a UUID)."),
    "missing_name": _("The record has no name."),
    "wrong_type": _("A field has the wrong type."),
    "bad_date": _("A date cannot be read: %(value)s."),
    "bad_reference": _("A reference to another record has no valid id."),
    "bad_school_unit_code": _("The school unit code %(code)s is not eight digits."),
    "duty_without_person": _("The duty names no person."),
    "duty_without_organisation": _("The duty names no organisation."),
    "duty_unknown_organisation": _(
        "The duty is at an organisation that is not a school unit of this owner (%(id)s)."
    ),
    "duty_unknown_person": _("The duty's person (%(id)s) is not among the persons read."),
    "person_without_identity": _(
        "The person has neither an email address nor an eduPersonPrincipalName, so they could "
        "never sign in."
    ),
    "duplicate_email": _("Another person at the source has the same email address (%(email)s)."),
    "account_linked_elsewhere": _(
        "The account with %(email)s is already linked to another person at the source."
    ),
    "email_taken": _("Another account in Kollegium already uses %(email)s."),
    "eppn_taken": _("Another account already signs in as %(eppn)s."),
    "group_unknown_organisation": _(
        "The group belongs to an organisation that is not a school unit of this owner (%(id)s)."
    ),
    "event_unknown_activity": _(
        "The calendar event's activity (%(id)s) is not among the activities read."
    ),
    "team_name_taken": _("The school already has another synced team called %(name)s."),
    # Files (all or nothing: any of these refuses the whole file).
    "file_too_large": _("The file is larger than %(mb)s MB."),
    "file_not_text": _(
        "The file is not a text file. Save it from Excel as CSV (semicolon-separated)."
    ),
    "file_empty": _("The file is empty."),
    "file_too_many_rows": _("The file has more than %(rows)s rows."),
    "file_missing_columns": _(
        "The file has no column for: %(missing)s. Its columns are: %(found)s. See the help above "
        "for the column names."
    ),
    "file_bad_email": _("“%(value)s” is not an email address."),
    "file_missing_name": _("The row has no name."),
    "file_unknown_role": _(
        "“%(value)s” is not a duty role (e.g. Lärare, Förstelärare, Rektor) nor a Kollegium role."
    ),
    "file_missing_school": _("The row names no school (name or school unit code)."),
    "file_same_email_other_name": _("%(email)s appears on an earlier row with another name."),
    "file_bad_date": _("“%(value)s” is not a date (write it as 2026-08-17)."),
    "file_not_zip": _("The file is neither a CSV file nor a OneRoster zip."),
    "file_oneroster_missing": _("The OneRoster zip lacks %(missing)s."),
    "file_unknown_org": _(
        "The role is at an organisation (%(value)s) not in orgs.csv as a school."
    ),
    "file_refused": _(
        "The file was refused as a whole: %(count)s problem(s), listed below by line. Nothing was "
        "changed."
    ),
    # Run failures.
    "token_refused": _("The source refused the access token (401). Check the token."),
    "not_authorised": _("The token may not read %(endpoint)s (403). Ask the vendor for the scope."),
    "rate_limited": _("The source asked us to wait too long (%(seconds)s s). Try again later."),
    "unreachable": _("The source could not be reached: %(detail)s"),
    "tls_failed": _("The secure connection failed (certificate?): %(detail)s"),
    "http_error": _("The source answered %(status)s for %(endpoint)s."),
    "invalid_json": _("The source sent a page of %(endpoint)s that is not valid JSON."),
    "invalid_page": _("The source sent a page of %(endpoint)s that is not an SS 12000 list."),
    "too_many_pages": _("The source kept sending pages of %(endpoint)s without end."),
    "apply_refused": _("The changes could not be saved: %(detail)s"),
}
PHASE_LABELS: dict[str, Any] = {
    "organisations": _("Reading organisations"),
    "persons": _("Reading persons"),
    "duties": _("Reading duties"),
    "groups": _("Reading groups"),
    "deleted": _("Reading deletions"),
    "timetables": _("Reading timetables"),
    "plan": _("Comparing with Kollegium"),
    "apply": _("Saving the changes"),
}
COUNT_LABELS: dict[str, Any] = {
    "schools_created": _("schools created"),
    "schools_updated": _("schools updated"),
    "people_created": _("people created"),
    "people_updated": _("people updated"),
    "people_deactivated": _("people deactivated"),
    "people_reactivated": _("people back"),
    "memberships_created": _("places at schools created"),
    "memberships_changed": _("roles changed"),
    "memberships_ended": _("places at schools ended"),
    "teams_created": _("teams created"),
    "teams_updated": _("teams updated"),
    "refused": _("records refused"),
    "lessons": _("lessons read"),
    "timetables": _("people with lessons"),
}
DIFF_LABELS: dict[str, Any] = {
    "schools_create": _("Schools to create"),
    "schools_update": _("Schools to update or link"),
    "people_create": _("People to create"),
    "people_update": _("People to update or link"),
    "people_deactivate": _("People to deactivate (no duty left)"),
    "people_reactivate": _("People coming back"),
    "memberships_create": _("Places at schools to create (person · school · role)"),
    "memberships_change": _("Roles to change (person · school · new role)"),
    "memberships_end": _("Places at schools to end (person · school)"),
    "teams_create": _("Teams to create"),
    "teams_update": _("Teams to update"),
}


def reason_text(code: str, params: dict[str, Any]) -> str:
    template = REASONS.get(code)
    if template is None:
        return code
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def local_state(source: DirectorySource) -> LocalState:
    """Kollegium's schools, people, memberships and teams at the source's owner (8 queries)."""
    state = LocalState()
    for pk, name, code, external_id in Organisation.objects.filter(
        parent=source.owner, kind=Organisation.Kind.SCHOOL
    ).values_list("pk", "name", "school_unit_code", "external_id"):
        school = LocalSchool(pk, name, code)
        if external_id:
            state.schools[external_id] = school
        elif code:
            state.schools_by_code.setdefault(code, school)
    people: dict[int, LocalPerson] = {}
    # A leaver shown as "a former colleague" is compared under their own name, kept aside.
    for pk, full_name, held, email, active, external_id in User.objects.values_list(
        "pk", "full_name", "held_name__full_name", "email", "is_active", "external_id"
    ).iterator(chunk_size=5000):
        person = LocalPerson(pk, held or full_name, email.lower(), active)
        people[pk] = person
        state.people_by_email[person.email] = person
        if external_id:
            state.linked_remote_of[pk] = external_id
    for eppn, user_id in PersonIdentity.objects.values_list("eppn", "user_id"):
        if user_id in people:
            state.people_by_eppn[eppn] = people[user_id]
    for pk, user_id, school_id, role, external_id in Membership.objects.filter(
        school__parent=source.owner
    ).values_list("pk", "user_id", "school_id", "role", "external_id"):
        state.memberships[(user_id, school_id)] = LocalMembership(pk, role, bool(external_id))
        if external_id and user_id in state.linked_remote_of:
            state.people[state.linked_remote_of[user_id]] = people[user_id]
    members: dict[int, set[int]] = {}
    for team_id, user_id in TeamMembership.objects.filter(
        team__school__parent=source.owner
    ).values_list("team_id", "user_id"):
        members.setdefault(team_id, set()).add(user_id)
    for pk, school_id, name, external_id in (
        Team.objects.filter(school__parent=source.owner)
        .exclude(external_id="")
        .values_list("pk", "school_id", "name", "external_id")
    ):
        state.teams[external_id] = LocalTeam(pk, school_id, name, frozenset(members.get(pk, ())))
    # People linked to the source earlier whose memberships have all ended are still its.
    remote_people = set(
        RemoteRecord.objects.filter(source=source, kind="person").values_list(
            "remote_id", flat=True
        )
    )
    for pk, remote_id in state.linked_remote_of.items():
        if remote_id in remote_people and remote_id not in state.people:
            state.people[remote_id] = people[pk]
    # A place at another owner's school keeps a leaver's account active.
    state.elsewhere = set(
        Membership.objects.filter(user_id__in=[p.pk for p in state.people.values()])
        .exclude(school__parent=source.owner)
        .values_list("user_id", flat=True)
    )
    return state


def sources() -> QuerySet[DirectorySource]:
    return DirectorySource.objects.select_related("owner").order_by("owner__name", "name")


def source_runs(source: DirectorySource, limit: int = 20) -> list[SyncRun]:
    return list(source.runs.all()[:limit])


def run_refusals(run: SyncRun, limit: int = 500) -> list[dict[str, Any]]:
    return [
        {
            "kind": (
                _("Line %(line)s") % {"line": refusal.remote_id}
                if refusal.kind == SyncRefusal.Kind.ROW
                else refusal.get_kind_display()
            ),
            "remote_id": refusal.remote_id,
            "reason": reason_text(refusal.code, refusal.params),
        }
        for refusal in SyncRefusal.objects.filter(run=run)[:limit]
    ]


# --- School sign-in (Entra ID, Google Workspace) ----------------------------------------------

#: Why a school sign-in was refused, as the person reads it.
SIGNIN_REFUSALS: dict[str, Any] = {
    "not_connected": _("This school sign-in is no longer connected to Kollegium."),
    "wrong_tenant": _(
        "The account belongs to another organisation's Microsoft directory than the one your "
        "school owner connected."
    ),
    "wrong_domain": _(
        "The Google account is not one of your school owner's Google Workspace accounts."
    ),
    "no_school": _(
        "Your school owner has not given you a place at any of its schools in Kollegium. "
        "Ask your school leader or the school's IT support to add you."
    ),
    "connect_not_offered": _(
        "A school account is linked the first time you sign in with it; it cannot be added "
        "to an account here."
    ),
    "linked_elsewhere": _(
        "Another account from your school's directory already signs in as this person. Ask "
        "the school's IT support to check your account."
    ),
}


def signin_connections() -> QuerySet[SignInConnection]:
    return SignInConnection.objects.select_related("owner", "app").order_by("owner__name", "kind")


def signin_owners() -> QuerySet[Organisation]:
    """School owners with whether their staff may use passwords, and their sign-ins."""
    return Organisation.objects.filter(kind=Organisation.Kind.OWNER).order_by("name")


def masked_secret(secret: str) -> str:
    """Enough of a stored secret to recognise it, never the whole."""
    secret = secret or ""
    return "•" * 8 + secret[-4:] if len(secret) >= 12 else "•" * 8
