"""What a sync would change: the remote snapshot against Kollegium's, as a plan (pure).

The same plan is shown as the dry run's diff and then applied, so what the administrator saw
is what happens. Planning works on the whole snapshot every time (a delta run first updates
the stored copy of the remote records, then plans from all of it), which keeps a delta and a
full run the same code and makes a second run with nothing changed plan nothing.

Lifecycle rules (issue 11):
- a person's role at a school comes from their duties there that are active today and mapped
  to a role (the highest wins: leader over facilitator over teacher); an administrator set in
  Kollegium stays an administrator;
- a membership the sync made ends when no such duty is left; a membership made by hand is
  never ended by the sync;
- a person the sync knows who has no membership left is deactivated, never deleted; one who
  returns is reactivated with the same account;
- people are matched to existing accounts by the remote id they were linked with, then by
  eduPersonPrincipalName, then by email.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

from kollegium.directory.core.records import (
    RemoteDuty,
    RemoteGroup,
    RemoteOrganisation,
    RemotePerson,
)

ROLE_RANK = {"teacher": 1, "facilitator": 2, "leader": 3, "administrator": 4}
SCHOOL_TYPE = "Skolenhet"


@dataclass(frozen=True)
class RoleMapping:
    """Duty roles (SS 12000's DutyRole) to Kollegium roles, and which group types are teams."""

    roles: Mapping[str, str]
    team_group_types: frozenset[str]


@dataclass(frozen=True)
class LocalSchool:
    pk: int
    name: str
    school_unit_code: str


@dataclass(frozen=True)
class LocalPerson:
    pk: int
    full_name: str
    email: str
    is_active: bool


@dataclass(frozen=True)
class LocalMembership:
    pk: int
    role: str
    synced: bool


@dataclass(frozen=True)
class LocalTeam:
    pk: int
    school_pk: int
    name: str
    member_pks: frozenset[int]


@dataclass
class LocalState:
    """Kollegium's side, as the planner needs it (read in a few queries by the selector)."""

    schools: dict[str, LocalSchool] = field(default_factory=dict)  # by remote id (linked)
    schools_by_code: dict[str, LocalSchool] = field(default_factory=dict)  # owner's, unlinked
    people: dict[str, LocalPerson] = field(default_factory=dict)  # by remote id (linked)
    people_by_eppn: dict[str, LocalPerson] = field(default_factory=dict)
    people_by_email: dict[str, LocalPerson] = field(default_factory=dict)
    linked_remote_of: dict[int, str] = field(default_factory=dict)  # user pk -> remote id
    memberships: dict[tuple[int, int], LocalMembership] = field(default_factory=dict)
    teams: dict[str, LocalTeam] = field(default_factory=dict)  # by remote id
    elsewhere: set[int] = field(default_factory=set)  # user pks with a place at another owner


@dataclass(frozen=True)
class Refusal:
    kind: str  # organisation | person | duty | group
    remote_id: str
    code: str
    params: tuple[tuple[str, str], ...] = ()


@dataclass
class Plan:
    schools_create: list[RemoteOrganisation] = field(default_factory=list)
    schools_link: list[tuple[int, RemoteOrganisation]] = field(default_factory=list)
    schools_update: list[tuple[int, RemoteOrganisation]] = field(default_factory=list)
    people_create: list[RemotePerson] = field(default_factory=list)
    people_link: list[tuple[int, RemotePerson]] = field(default_factory=list)
    people_update: list[tuple[int, RemotePerson]] = field(default_factory=list)
    people_deactivate: list[int] = field(default_factory=list)
    people_reactivate: list[int] = field(default_factory=list)
    # (person remote id, school remote id, role, duty id)
    memberships_create: list[tuple[str, str, str, str]] = field(default_factory=list)
    memberships_change: list[tuple[int, str, str]] = field(default_factory=list)  # pk, role, duty
    memberships_end: list[int] = field(default_factory=list)
    teams_create: list[RemoteGroup] = field(default_factory=list)
    teams_update: list[tuple[int, RemoteGroup]] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    # Lessons read from the timetable (None: the source's timetables are not synced).
    lessons: int | None = None
    timetables: int | None = None

    def counts(self) -> dict[str, int]:
        extra = (
            {}
            if self.lessons is None
            else {"lessons": self.lessons, "timetables": self.timetables or 0}
        )
        return extra | {
            "schools_created": len(self.schools_create),
            "schools_updated": len(self.schools_link) + len(self.schools_update),
            "people_created": len(self.people_create),
            "people_updated": len(self.people_link) + len(self.people_update),
            "people_deactivated": len(self.people_deactivate),
            "people_reactivated": len(self.people_reactivate),
            "memberships_created": len(self.memberships_create),
            "memberships_changed": len(self.memberships_change),
            "memberships_ended": len(self.memberships_end),
            "teams_created": len(self.teams_create),
            "teams_updated": len(self.teams_update),
            "refused": len(self.refusals),
        }

    @property
    def is_empty(self) -> bool:
        counts = self.counts()
        for key in ("refused", "lessons", "timetables"):  # read, not changes
            counts.pop(key, None)
        return not any(counts.values())


def _school_changed(local: LocalSchool, remote: RemoteOrganisation) -> bool:
    return local.name != remote.name or (
        bool(remote.school_unit_code) and local.school_unit_code != remote.school_unit_code
    )


def _plan_schools(
    plan: Plan, organisations: Iterable[RemoteOrganisation], local: LocalState
) -> set[str]:
    """Plan the schools; return the remote ids of every school known after the plan."""
    known: set[str] = set()
    for org in organisations:
        if org.type != SCHOOL_TYPE:
            continue
        known.add(org.id)
        linked = local.schools.get(org.id)
        if linked is not None:
            if _school_changed(linked, org):
                plan.schools_update.append((linked.pk, org))
            continue
        by_code = local.schools_by_code.get(org.school_unit_code) if org.school_unit_code else None
        if by_code is not None:
            plan.schools_link.append((by_code.pk, org))
        else:
            plan.schools_create.append(org)
    return known


def _match_person(person: RemotePerson, local: LocalState) -> LocalPerson | None:
    linked = local.people.get(person.id)
    if linked is not None:
        return linked
    for eppn in person.eppns:
        found = local.people_by_eppn.get(eppn)
        if found is not None:
            return found
    if person.email:
        return local.people_by_email.get(person.email)
    return None


def plan_sync(
    *,
    organisations: Iterable[RemoteOrganisation],
    persons: Iterable[RemotePerson],
    duties: Iterable[RemoteDuty],
    groups: Iterable[RemoteGroup],
    local: LocalState,
    mapping: RoleMapping,
    today: date,
) -> Plan:
    plan = Plan()
    school_ids = _plan_schools(plan, organisations, local)
    persons_by_id = {p.id: p for p in persons}

    # The role each person should have at each school, from today's mapped duties.
    wanted: dict[tuple[str, str], tuple[str, str]] = {}  # (person, school) -> (role, duty id)
    for duty in sorted(duties, key=lambda d: d.id):
        if not duty.active_on(today):
            continue
        role = mapping.roles.get(duty.role)
        if not role:
            continue  # a duty role Kollegium has no place for (the mapping says which)
        if duty.organisation_id not in school_ids:
            plan.refusals.append(
                Refusal(
                    "duty", duty.id, "duty_unknown_organisation", (("id", duty.organisation_id),)
                )
            )
            continue
        if duty.person_id not in persons_by_id:
            plan.refusals.append(
                Refusal("duty", duty.id, "duty_unknown_person", (("id", duty.person_id),))
            )
            continue
        key = (duty.person_id, duty.organisation_id)
        current = wanted.get(key)
        if current is None or ROLE_RANK[role] > ROLE_RANK[current[0]]:
            wanted[key] = (role, duty.id)

    staff_ids = {person_id for person_id, _school in wanted}

    # People: everyone with a wanted membership, and everyone linked before (they may leave).
    resolved: dict[str, LocalPerson | None] = {}
    emails_claimed: dict[str, str] = {}
    refused_people: set[str] = set()
    for person_id in sorted(staff_ids | set(local.people)):
        person = persons_by_id.get(person_id)
        if person is None:
            resolved[person_id] = local.people.get(person_id)
            continue
        if not person.eppns and not person.email:
            plan.refusals.append(Refusal("person", person.id, "person_without_identity"))
            refused_people.add(person_id)
            continue
        if person.email and emails_claimed.setdefault(person.email, person.id) != person.id:
            plan.refusals.append(
                Refusal("person", person.id, "duplicate_email", (("email", person.email),))
            )
            refused_people.add(person_id)
            continue
        match = _match_person(person, local)
        if match is not None:
            linked_to = local.linked_remote_of.get(match.pk)
            if linked_to and linked_to != person.id:
                plan.refusals.append(
                    Refusal(
                        "person", person.id, "account_linked_elsewhere", (("email", match.email),)
                    )
                )
                refused_people.add(person_id)
                continue
            if person_id not in local.people:
                plan.people_link.append((match.pk, person))
            elif match.full_name != person.full_name or (
                person.email and match.email != person.email
            ):
                plan.people_update.append((match.pk, person))
        elif person_id in staff_ids:
            plan.people_create.append(person)
        resolved[person_id] = match

    # Memberships.
    school_pk = {rid: s.pk for rid, s in local.schools.items()}
    school_pk.update({org.id: pk for pk, org in plan.schools_link})
    kept: set[int] = set()
    for (person_id, school_id), (role, duty_id) in sorted(wanted.items()):
        if person_id in refused_people:
            continue
        person_local = resolved.get(person_id)
        spk = school_pk.get(school_id)
        existing = (
            local.memberships.get((person_local.pk, spk))
            if person_local is not None and spk is not None
            else None
        )
        if existing is None:
            plan.memberships_create.append((person_id, school_id, role, duty_id))
            continue
        kept.add(existing.pk)
        target = "administrator" if existing.role == "administrator" else role
        if existing.role != target or not existing.synced:
            plan.memberships_change.append((existing.pk, target, duty_id))

    people_with_membership = {pid for (pid, _s) in wanted if pid not in refused_people}
    for person_id, person_local in local.people.items():
        if person_id in refused_people:
            continue
        own = [m for (user_pk, _spk), m in local.memberships.items() if user_pk == person_local.pk]
        for membership in own:
            if membership.synced and membership.pk not in kept:
                plan.memberships_end.append(membership.pk)
        has_manual = any(not m.synced for m in own) or person_local.pk in local.elsewhere
        if person_id in people_with_membership:
            if not person_local.is_active:
                plan.people_reactivate.append(person_local.pk)
        elif person_local.is_active and not has_manual:
            plan.people_deactivate.append(person_local.pk)
    for person_id, person_local in resolved.items():
        if (
            person_local is not None
            and person_id not in local.people
            and person_id in people_with_membership
            and not person_local.is_active
        ):
            plan.people_reactivate.append(person_local.pk)

    # Teams: staff groups of the mapped types at known schools.
    for group in sorted(groups, key=lambda g: g.id):
        if group.type not in mapping.team_group_types:
            continue
        if group.end_date is not None and group.end_date < today:
            continue
        if group.organisation_id not in school_ids:
            plan.refusals.append(
                Refusal(
                    "group",
                    group.id,
                    "group_unknown_organisation",
                    (("id", group.organisation_id),),
                )
            )
            continue
        # A team's members are the group's people with a place at the team's school: someone
        # who moved school stays in the old staff group at many sources until term ends.
        group = replace(
            group,
            member_ids=frozenset(
                m
                for m in group.member_ids
                if (m, group.organisation_id) in wanted and m not in refused_people
            ),
        )
        team = local.teams.get(group.id)
        if team is None:
            plan.teams_create.append(group)
            continue
        wanted_members = {
            resolved[m].pk  # type: ignore[union-attr]
            for m in group.member_ids
            if m in staff_ids and resolved.get(m) is not None
        }
        new_members = {m for m in group.member_ids if m in staff_ids and resolved.get(m) is None}
        if team.name != group.name or wanted_members != set(team.member_pks) or new_members:
            plan.teams_update.append((team.pk, group))

    plan.people_deactivate.sort()
    plan.people_reactivate = sorted(set(plan.people_reactivate))
    plan.memberships_end.sort()
    return plan
