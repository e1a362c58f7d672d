"""Writes of the directory sync: sources, runs, and applying a plan (issue 11).

A run has three steps, each its own short transaction so the administrator's page can show
progress while it works:
1. `sync_run_start` marks it running;
2. the records are fetched (no writes but progress), merged into the stored copy in memory
   and planned (core/plan.py);
3. `apply_plan` writes everything the plan says, the stored copy and the source's watermark in ONE
   transaction: a failure anywhere leaves Kollegium as it was, and the next run starts again
   from the same watermark. A dry run stops after step 2 and keeps the plan as its diff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.core.homepage import home_changed, home_changed_everyone
from kollegium.core.services import audit_record
from kollegium.core.tasks import enqueue_on_commit
from kollegium.directory import permissions
from kollegium.directory.client import SourceError, SS12000Client
from kollegium.directory.core.plan import Plan, Refusal, plan_sync
from kollegium.directory.core.records import (
    RecordError,
    RemoteDuty,
    RemoteGroup,
    RemoteOrganisation,
    RemotePerson,
    parse_activity,
    parse_duty,
    parse_event,
    parse_group,
    parse_organisation,
    parse_person,
)
from kollegium.directory.mapping import role_mapping_of
from kollegium.directory.models import (
    DirectorySource,
    HeldName,
    PersonIdentity,
    RemoteRecord,
    SyncRefusal,
    SyncRun,
)
from kollegium.directory.selectors import local_state
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Membership, Organisation, Team, TeamMembership
from kollegium.scheduling.imports import ParsedEntry
from kollegium.scheduling.imports.ics import split_summary
from kollegium.scheduling.services import import_window, timetable_from_school_system

#: Changes made at the source while a run reads it are caught by the next run: it asks for
#: what changed after this much before the last run started (clocks differ between servers).
WATERMARK_OVERLAP = timedelta(minutes=5)
DIFF_CAP = 200
PHASES = (
    "organisations",
    "persons",
    "duties",
    "groups",
    "deleted",
    "timetables",
    "plan",
    "apply",
)
PARSERS: dict[str, Callable[..., Any]] = {
    "organisation": parse_organisation,
    "person": parse_person,
    "duty": parse_duty,
}
KIND_OF_ENDPOINT = {
    "organisations": "organisation",
    "persons": "person",
    "duties": "duty",
    "groups": "group",
}


# --- Runs -------------------------------------------------------------------------------------


def _has_dry_run(source: DirectorySource) -> bool:
    return source.runs.filter(dry_run=True, status=SyncRun.Status.DONE).exists()


@transaction.atomic
def sync_request(
    *,
    actor: Actor | None,
    source: DirectorySource,
    dry_run: bool,
    full: bool = False,
    enqueue: bool = True,
) -> SyncRun:
    """Queue a run for the task worker (``enqueue=False``: the caller runs it, as the command
    does to draw its progress). The first run of a source is always a dry run, so an
    administrator sees what would change before anything does."""
    if actor is not None:
        permissions.require_manage_sources(actor)
    source = DirectorySource.objects.select_for_update().get(pk=source.pk)
    if source.runs.filter(status__in=[SyncRun.Status.QUEUED, SyncRun.Status.RUNNING]).exists():
        raise ValidationError(_("A run of this source is already under way."))
    if not dry_run and not source.applied_once and not _has_dry_run(source):
        raise ValidationError(
            _("The first sync of a source always starts as a dry run: look at its changes first.")
        )
    run = SyncRun.objects.create(
        source=source,
        dry_run=dry_run,
        full=full or not source.applied_once or source.changes_after is None,
        started_by=as_actor(actor).person if actor is not None else None,
    )
    audit_record(
        actor=actor,
        action="directory.sync_requested",
        target=run,
        data={"dry_run": dry_run, "full": run.full},
    )
    if enqueue:
        from kollegium.directory.tasks import sync_run_task

        enqueue_on_commit(sync_run_task, run_id=run.pk)
    return run


def _progress(run: SyncRun, phase: str, *, extra: int = 0) -> None:
    SyncRun.objects.filter(pk=run.pk).update(
        phase=phase, done=PHASES.index(phase) + extra, total=len(PHASES)
    )


def _fail(run: SyncRun, code: str, params: dict[str, Any]) -> SyncRun:
    SyncRun.objects.filter(pk=run.pk).update(
        status=SyncRun.Status.FAILED,
        error_code=code,
        error_params={k: str(v) for k, v in params.items()},
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


def sync_run_start(run: SyncRun) -> bool:
    """Mark a queued run running; False when it was already taken (another worker)."""
    with transaction.atomic():
        taken = SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.QUEUED).update(
            status=SyncRun.Status.RUNNING, started_at=timezone.now(), total=len(PHASES)
        )
    return bool(taken)


def client_for(source: DirectorySource) -> SS12000Client:
    return SS12000Client(
        source.base_url,
        token=source.token,
        client_certificate=source.client_certificate,
        client_key=source.client_key,
    )


def sync_execute(
    run: SyncRun,
    *,
    client: SS12000Client | None = None,
    today: date | None = None,
    on_progress: Callable[[SyncRun], None] | None = None,
) -> SyncRun:
    """Do a queued run from start to end (the task and the command call this)."""
    if not sync_run_start(run):
        run.refresh_from_db()
        return run
    run.refresh_from_db()
    source = run.source
    client = client or client_for(source)
    today = today or timezone.localdate()
    began = run.started_at or timezone.now()
    changed_after = None if run.full else source.changes_after
    refusals: list[Refusal] = []

    stored = stored_records(source)
    fetched: dict[str, dict[str, dict[str, Any]]] = {k: {} for k in KIND_OF_ENDPOINT.values()}

    def tell() -> None:
        if on_progress is not None:
            run.refresh_from_db()
            on_progress(run)

    try:
        for endpoint, kind in KIND_OF_ENDPOINT.items():
            _progress(run, endpoint)
            tell()
            for page in client.pages(endpoint, changed_after=changed_after):
                for raw in page:
                    _read_record(kind, raw, fetched[kind], refusals, today)
        deleted: dict[str, set[str]] = {}
        if changed_after is not None:
            _progress(run, "deleted")
            tell()
            deleted = client.deleted(after=changed_after)
        _fetch_missing_people(client, stored, fetched, refusals, today, full=run.full)
        lessons: dict[str, list[ParsedEntry]] | None = None
        if source.sync_timetables:
            _progress(run, "timetables")
            tell()
            lessons = _read_timetables(client, refusals)
    except SourceError as error:
        return _fail(run, error.code, error.params)

    # The copy the plan works from: a full run replaces it (records gone from the source are
    # gone), a delta updates it. A record that failed to parse keeps its previous version.
    merged: dict[str, dict[str, dict[str, Any]]] = {}
    for kind in KIND_OF_ENDPOINT.values():
        base = {} if run.full else dict(stored.get(kind, {}))
        if run.full:
            refused_ids = {r.remote_id for r in refusals if r.kind == kind}
            base.update({i: d for i, d in stored.get(kind, {}).items() if i in refused_ids})
        base.update(fetched[kind])
        for gone in deleted.get(_plural(kind), set()):
            base.pop(gone, None)
        merged[kind] = base

    _progress(run, "plan")
    tell()
    plan = plan_from(source, merged, today)
    plan.refusals[:0] = refusals
    timetables = _timetables_by_person(lessons, merged) if lessons is not None else None
    if timetables is not None:
        plan.lessons = sum(len(entries) for entries in timetables.values())
        plan.timetables = len(timetables)
    if run.dry_run:
        finish(run, plan, diff=diff_of(plan, merged, source))
    else:
        _progress(run, "apply")
        tell()
        try:
            apply_plan(run, source, plan, stored, merged, began, timetables=timetables)
        except ValidationError as error:
            return _fail(run, "apply_refused", {"detail": "; ".join(error.messages)[:300]})
    run.refresh_from_db()
    tell()
    return run


Records = dict[str, dict[str, dict[str, Any]]]

# A run reads at most this many people one by one (a returner after a full run, say); more
# than that means something else is wrong, and the next full run brings them anyway.
MISSING_PEOPLE_LIMIT = 200


def _fetch_missing_people(
    client: SS12000Client,
    stored: Records,
    fetched: Records,
    refusals: list[Refusal],
    today: date,
    *,
    full: bool,
) -> None:
    """Read, one by one, the people that this run's duties name but neither this run nor the
    copy kept from earlier runs holds. Persons are listed with a duty only, so a person who
    had none at the last full run and now returns is unchanged at the source, and a delta
    would never bring them: their new duty would be refused as for an unknown person."""
    known = set(fetched.get("person", {}))
    if not full:
        known |= set(stored.get("person", {}))
    missing = sorted(
        {
            str(duty.get("person_id"))
            for duty in fetched.get("duty", {}).values()
            if duty.get("person_id") and str(duty.get("person_id")) not in known
        }
    )
    for person_id in missing[:MISSING_PEOPLE_LIMIT]:
        raw = client.person(person_id)
        if raw is not None:
            _read_record("person", raw, fetched["person"], refusals, today)


def plan_from(source: DirectorySource, merged: Records, today: date) -> Plan:
    """Plan the source's records (by kind, as stored) against Kollegium as it is now."""
    return plan_sync(
        organisations=[_as(RemoteOrganisation, d) for d in merged.get("organisation", {}).values()],
        persons=[_as(RemotePerson, d) for d in merged.get("person", {}).values()],
        duties=[_as(RemoteDuty, d) for d in merged.get("duty", {}).values()],
        groups=[_as(RemoteGroup, d) for d in merged.get("group", {}).values()],
        local=local_state(source),
        mapping=role_mapping_of(source),
        today=today,
    )


def diff_of(plan: Plan, merged: Records, source: DirectorySource) -> dict[str, list[str]]:
    names = {pid: _as(RemotePerson, d).full_name for pid, d in merged.get("person", {}).items()}
    return _diff(plan, names, source)


def stored_records(source: DirectorySource) -> Records:
    stored: Records = {k: {} for k in KIND_OF_ENDPOINT.values()}
    for kind, remote_id, data in RemoteRecord.objects.filter(source=source).values_list(
        "kind", "remote_id", "data"
    ):
        stored.setdefault(kind, {})[remote_id] = data
    return stored


def _read_timetables(
    client: SS12000Client, refusals: list[Refusal]
) -> dict[str, list[ParsedEntry]]:
    """Lessons per teacher's duty, from the activities and their calendar events within the
    period a timetable keeps (two weeks back, about a year ahead)."""
    activities = {}
    for page in client.pages("activities"):
        for raw in page:
            try:
                read = parse_activity(raw)
            except RecordError as error:
                refusals.append(_refusal("activity", raw, error))
                continue
            activities[read.id] = read
    first, last = import_window()
    by_duty: dict[str, list[ParsedEntry]] = {}
    window = {"startTime.onOrAfter": first.isoformat(), "startTime.onOrBefore": last.isoformat()}
    for page in client.pages("calendarEvents", filters=window):
        for raw in page:
            try:
                event = parse_event(raw)
                if event is None:
                    continue  # cancelled
                start, end = datetime.fromisoformat(event.start), datetime.fromisoformat(event.end)
                if start.tzinfo is None or end <= start:
                    raise RecordError("bad_date", value=event.start[:40])
            except (RecordError, ValueError) as error:
                code = error if isinstance(error, RecordError) else RecordError("bad_date")
                refusals.append(_refusal("event", raw, code))
                continue
            activity = activities.get(event.activity_id)
            if activity is None:
                refusals.append(
                    Refusal(
                        "event", event.id, "event_unknown_activity", (("id", event.activity_id),)
                    )
                )
                continue
            subject, klass = split_summary(activity.name)
            entry = ParsedEntry(
                start=start,
                end=end,
                title=activity.name,
                subject=subject if klass else "",
                group_name=", ".join(activity.group_names) or klass,
                room=", ".join(event.rooms),
                external_id=event.id,
                series_key=f"ss12000:{activity.id}",
                activity_type=activity.activity_type,
            )
            for duty_id in activity.teacher_duty_ids:
                if duty_id not in event.absent_duty_ids:
                    by_duty.setdefault(duty_id, []).append(entry)
    return by_duty


def _timetables_by_person(
    by_duty: dict[str, list[ParsedEntry]], merged: Records
) -> dict[str, list[ParsedEntry]]:
    duties = merged.get("duty", {})
    out: dict[str, list[ParsedEntry]] = {}
    for duty_id, entries in by_duty.items():
        duty = duties.get(duty_id)
        if duty is not None:
            out.setdefault(duty["person_id"], []).extend(entries)
    return out


def _refusal(kind: str, raw: Any, error: RecordError) -> Refusal:
    remote_id = str(raw.get("id", ""))[:64] if isinstance(raw, dict) else ""
    return Refusal(kind, remote_id, error.code, tuple((k, str(v)) for k, v in error.params.items()))


def _plural(kind: str) -> str:
    return {"organisation": "organisations", "person": "persons", "duty": "duties"}.get(
        kind, kind + "s"
    )


def _read_record(
    kind: str,
    raw: Any,
    into: dict[str, dict[str, Any]],
    refusals: list[Refusal],
    today: date,
) -> None:
    remote_id = str(raw.get("id", ""))[:64] if isinstance(raw, dict) else ""
    try:
        record = parse_group(raw, today=today) if kind == "group" else PARSERS[kind](raw)
    except RecordError as error:
        refusals.append(
            Refusal(
                kind, remote_id, error.code, tuple((k, str(v)) for k, v in error.params.items())
            )
        )
        return
    into[record.id] = to_json(record)


def to_json(record: Any) -> dict[str, Any]:
    data = asdict(record)
    for key, value in list(data.items()):
        if isinstance(value, date):
            data[key] = value.isoformat()
        elif isinstance(value, frozenset | tuple):
            data[key] = sorted(value)
    return data


def _as(cls: Any, data: dict[str, Any]) -> Any:
    values = dict(data)
    for key in ("start_date", "end_date"):
        if values.get(key):
            values[key] = date.fromisoformat(values[key])
    if cls is RemoteOrganisation:
        values["school_types"] = tuple(values.get("school_types", ()))
    if cls is RemotePerson:
        values["eppns"] = tuple(values.get("eppns", ()))
    if cls is RemoteGroup:
        values["member_ids"] = frozenset(values.get("member_ids", ()))
    return cls(**values)


def _diff(plan: Plan, names: dict[str, str], source: DirectorySource) -> dict[str, list[str]]:
    users = dict(
        User.objects.filter(
            pk__in={pk for pk, _p in plan.people_update}
            | set(plan.people_deactivate)
            | set(plan.people_reactivate)
        ).values_list("pk", "full_name")
    )
    memberships = {
        m.pk: m
        for m in Membership.objects.filter(
            pk__in=set(plan.memberships_end) | {pk for pk, _r, _d in plan.memberships_change}
        ).select_related("user", "school")
    }
    school_names = {
        org_id: org.name for org_id, org in ((o.id, o) for o in plan.schools_create)
    } | dict(Organisation.objects.filter(parent=source.owner).values_list("external_id", "name"))
    school_names.update({org.id: org.name for _pk, org in plan.schools_link})

    def cap(items: Iterable[str]) -> list[str]:
        return sorted(items)[:DIFF_CAP]

    return {
        "schools_create": cap(o.name for o in plan.schools_create),
        "schools_update": cap(o.name for _pk, o in plan.schools_link + plan.schools_update),
        "people_create": cap(p.full_name for p in plan.people_create),
        "people_update": cap(p.full_name for _pk, p in plan.people_link + plan.people_update),
        "people_deactivate": cap(users.get(pk, "") for pk in plan.people_deactivate),
        "people_reactivate": cap(users.get(pk, "") for pk in plan.people_reactivate),
        "memberships_create": cap(
            f"{names.get(pid, pid)} · {school_names.get(sid, sid)} · {role}"
            for pid, sid, role, _duty in plan.memberships_create
        ),
        "memberships_change": cap(
            f"{memberships[pk].user.full_name} · {memberships[pk].school.name} · {role}"
            for pk, role, _duty in plan.memberships_change
            if pk in memberships
        ),
        "memberships_end": cap(
            f"{memberships[pk].user.full_name} · {memberships[pk].school.name}"
            for pk in plan.memberships_end
            if pk in memberships
        ),
        "teams_create": cap(g.name for g in plan.teams_create),
        "teams_update": cap(g.name for _pk, g in plan.teams_update),
    }


def store_refusals(run: SyncRun, refusals: Iterable[Refusal]) -> None:
    SyncRefusal.objects.bulk_create(
        SyncRefusal(
            run=run, kind=r.kind, remote_id=r.remote_id[:64], code=r.code, params=dict(r.params)
        )
        for r in refusals
    )


def finish(run: SyncRun, plan: Plan, *, diff: dict[str, Any] | None = None) -> None:
    with transaction.atomic():
        store_refusals(run, plan.refusals)
        SyncRun.objects.filter(pk=run.pk).update(
            status=SyncRun.Status.DONE,
            counts=plan.counts(),
            diff=diff or {},
            phase="",
            done=len(PHASES),
            finished_at=timezone.now(),
        )


@transaction.atomic
def apply_plan(
    run: SyncRun,
    source: DirectorySource,
    plan: Plan,
    stored: dict[str, dict[str, dict[str, Any]]],
    merged: dict[str, dict[str, dict[str, Any]]],
    began: datetime,
    *,
    timetables: dict[str, list[ParsedEntry]] | None = None,
) -> None:
    owner = source.owner
    refusals = list(plan.refusals)

    # Schools.
    school_pk: dict[str, int] = dict(
        Organisation.objects.filter(parent=owner, kind=Organisation.Kind.SCHOOL)
        .exclude(external_id="")
        .values_list("external_id", "pk")
    )
    for org in plan.schools_create:
        school = Organisation.objects.create(
            kind=Organisation.Kind.SCHOOL,
            parent=owner,
            name=org.name,
            school_unit_code=org.school_unit_code,
            organisation_number=org.organisation_number,
            municipality_code=org.municipality_code,
            external_id=org.id,
        )
        school_pk[org.id] = school.pk
    for pk, org in plan.schools_link + plan.schools_update:
        fields: dict[str, Any] = {"name": org.name, "external_id": org.id}
        if org.school_unit_code:
            fields["school_unit_code"] = org.school_unit_code
        Organisation.objects.filter(pk=pk).update(**fields)
        school_pk[org.id] = pk

    # People.
    person_pk: dict[str, int] = dict(
        User.objects.exclude(external_id="").values_list("external_id", "pk")
    )
    unusable = make_password(None)
    taken = {email.lower() for email in User.objects.values_list("email", flat=True)}
    new_users = []
    for person in plan.people_create:
        if person.email in taken:
            refusals.append(Refusal("person", person.id, "email_taken", (("email", person.email),)))
            continue
        taken.add(person.email)
        new_users.append(
            User(
                email=person.email,
                full_name=person.full_name[:150],
                external_id=person.id,
                password=unusable,
            )
        )
    # In bulk (a municipality's first sync creates thousands); home-page version rows are made
    # on each person's first visit (core/homepage.py).
    for user in User.objects.bulk_create(new_users, batch_size=500):
        person_pk[user.external_id] = user.pk
    held = set(HeldName.objects.values_list("user_id", flat=True))
    for pk, person in plan.people_link + plan.people_update:
        fields = {"external_id": person.id, "full_name": person.full_name[:150]}
        if pk in held:
            # Still shown as a former colleague: the kept name is the one that changes.
            HeldName.objects.filter(user_id=pk).update(full_name=person.full_name[:150])
            del fields["full_name"]
        if person.email:
            if User.objects.filter(email__iexact=person.email).exclude(pk=pk).exists():
                refusals.append(
                    Refusal("person", person.id, "email_taken", (("email", person.email),))
                )
            else:
                fields["email"] = person.email
        User.objects.filter(pk=pk).update(**fields)
        person_pk[person.id] = pk
    _sync_identities(merged["person"], person_pk, refusals)
    if plan.people_deactivate:
        User.objects.filter(pk__in=plan.people_deactivate).update(is_active=False)
        if source.leaver_content == DirectorySource.LeaverContent.ANONYMISED:
            _names_hold(plan.people_deactivate)
    if plan.people_reactivate:
        User.objects.filter(pk__in=plan.people_reactivate).update(is_active=True)
        _names_give_back(plan.people_reactivate)

    # Memberships.
    ended = list(
        Membership.objects.filter(pk__in=plan.memberships_end).values_list("user_id", "school_id")
    )
    if ended:
        for user_id, ended_school in ended:
            TeamMembership.objects.filter(user_id=user_id, team__school_id=ended_school).delete()
        Membership.objects.filter(pk__in=plan.memberships_end).delete()
    for pk, role, duty_id in plan.memberships_change:
        Membership.objects.filter(pk=pk).update(role=role, external_id=duty_id)
    new_memberships = []
    for person_id, school_id, role, duty_id in plan.memberships_create:
        user_pk, spk = person_pk.get(person_id), school_pk.get(school_id)
        if user_pk is None or spk is None:
            continue  # the person was refused above; their refusal says why
        new_memberships.append(
            Membership(user_id=user_pk, school_id=spk, role=role, external_id=duty_id)
        )
    Membership.objects.bulk_create(new_memberships, ignore_conflicts=True)

    # Teams: members are the group's synced people; people added by hand stay.
    for group in plan.teams_create:
        spk = school_pk[group.organisation_id]
        team = Team.objects.filter(school_id=spk, name=group.name).first()
        if team is None:
            team = Team.objects.create(school_id=spk, name=group.name, external_id=group.id)
        elif team.external_id:
            refusals.append(Refusal("group", group.id, "team_name_taken", (("name", group.name),)))
            continue
        else:  # a team made by hand with the same name becomes the group's
            Team.objects.filter(pk=team.pk).update(external_id=group.id)
        _set_team_members(team.pk, group, person_pk)
    for pk, group in plan.teams_update:
        team = Team.objects.get(pk=pk)
        name_taken = (
            Team.objects.filter(school_id=team.school_id, name=group.name).exclude(pk=pk).exists()
        )
        if not name_taken:
            Team.objects.filter(pk=pk).update(name=group.name)
        _set_team_members(pk, group, person_pk)

    # Lessons: everyone the source knows gets theirs (or loses the ones no longer there).
    if timetables is not None:
        covered = {pid: person_pk[pid] for pid in merged.get("person", {}) if pid in person_pk}
        people = User.objects.filter(pk__in=list(covered.values())).order_by("pk")
        by_pk = {person.pk: person for person in people}
        for person_id, user_pk in sorted(covered.items()):
            if user_pk in by_pk:
                timetable_from_school_system(
                    person=by_pk[user_pk], entries=timetables.get(person_id, []), name=source.name
                )

    # The stored copy, the watermark, the record of the run.
    _store_records(source, stored, merged)
    DirectorySource.objects.filter(pk=source.pk).update(
        changes_after=began - WATERMARK_OVERLAP, applied_once=True
    )
    touched_users = (
        set(plan.people_deactivate)
        | set(plan.people_reactivate)
        | {u for u, _s in ended}
        | {m.user_id for m in new_memberships}
    )
    touched_schools = set(school_pk.values())
    home_changed(user_ids=touched_users, school_ids=touched_schools if not plan.is_empty else ())
    plan.refusals = refusals
    counts = plan.counts()
    store_refusals(run, refusals)
    SyncRun.objects.filter(pk=run.pk).update(
        status=SyncRun.Status.DONE,
        counts=counts,
        phase="",
        done=len(PHASES),
        finished_at=timezone.now(),
    )
    audit_record(actor=None, action="directory.sync_applied", target=source, data=counts)


def _names_hold(user_pks: list[int]) -> None:
    """Leavers of an owner that chose "anonymised": what they shared reads as by a former
    colleague (the name on every page is the person's name), their own name kept aside."""
    with translation.override(settings.LANGUAGE_CODE):
        former = gettext("a former colleague")
    already = set(HeldName.objects.filter(user_id__in=user_pks).values_list("user_id", flat=True))
    names = (
        User.objects.filter(pk__in=user_pks).exclude(pk__in=already).values_list("pk", "full_name")
    )
    HeldName.objects.bulk_create(
        [HeldName(user_id=pk, full_name=name) for pk, name in names], batch_size=500
    )
    User.objects.filter(pk__in=user_pks).update(full_name=former)
    # Kept home pages and page frames may carry the name: everyone's are made anew.
    home_changed_everyone()


def _names_give_back(user_pks: list[int]) -> None:
    """Someone who returns gets their name back on everything they shared."""
    held = list(HeldName.objects.filter(user_id__in=user_pks).values_list("user_id", "full_name"))
    for pk, name in held:
        User.objects.filter(pk=pk).update(full_name=name)
    if held:
        HeldName.objects.filter(user_id__in=[pk for pk, _name in held]).delete()
        home_changed_everyone()


def _sync_identities(
    persons: dict[str, dict[str, Any]], person_pk: dict[str, int], refusals: list[Refusal]
) -> None:
    wanted = {
        eppn: person_pk[pid]
        for pid, data in persons.items()
        if pid in person_pk
        for eppn in data.get("eppns", ())
    }
    existing = dict(
        PersonIdentity.objects.filter(eppn__in=list(wanted)).values_list("eppn", "user_id")
    )
    missing = []
    for eppn, user_pk in wanted.items():
        owner = existing.get(eppn)
        if owner is None:
            missing.append(PersonIdentity(eppn=eppn, user_id=user_pk))
        elif owner != user_pk:
            remote = next((pid for pid, pk in person_pk.items() if pk == user_pk), "")
            refusals.append(Refusal("person", remote, "eppn_taken", (("eppn", eppn),)))
    PersonIdentity.objects.bulk_create(missing, batch_size=500)


def _set_team_members(team_pk: int, group: RemoteGroup, person_pk: dict[str, int]) -> None:
    synced_people = set(person_pk.values())
    wanted = {person_pk[m] for m in group.member_ids if m in person_pk}
    current = set(TeamMembership.objects.filter(team_id=team_pk).values_list("user_id", flat=True))
    TeamMembership.objects.filter(
        team_id=team_pk, user_id__in=(current & synced_people) - wanted
    ).delete()
    TeamMembership.objects.bulk_create(
        [TeamMembership(team_id=team_pk, user_id=u) for u in wanted - current],
        ignore_conflicts=True,
    )


def _store_records(
    source: DirectorySource,
    stored: dict[str, dict[str, dict[str, Any]]],
    merged: dict[str, dict[str, dict[str, Any]]],
) -> None:
    for kind, records in merged.items():
        before = stored.get(kind, {})
        gone = set(before) - set(records)
        if gone:
            RemoteRecord.objects.filter(source=source, kind=kind, remote_id__in=list(gone)).delete()
        changed = [rid for rid, data in records.items() if before.get(rid) != data]
        existing = set(before) & set(changed)
        for rid in existing:
            RemoteRecord.objects.filter(source=source, kind=kind, remote_id=rid).update(
                data=records[rid]
            )
        RemoteRecord.objects.bulk_create(
            [
                RemoteRecord(source=source, kind=kind, remote_id=rid, data=records[rid])
                for rid in changed
                if rid not in before
            ],
            batch_size=500,
        )


def sync_due_sources(*, enqueue: bool = True) -> list[SyncRun]:
    """The scheduled runs (cron: `kollegium sync_ss12000 --scheduled`): a delta of every enabled
    source that has been applied once and has nothing queued or running."""
    runs = []
    for source in DirectorySource.objects.filter(is_enabled=True, applied_once=True):
        try:
            runs.append(sync_request(actor=None, source=source, dry_run=False, enqueue=enqueue))
        except ValidationError:
            continue  # a run is already under way
    return runs
