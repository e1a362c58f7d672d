"""Writes for the competence map. Keyword-only, atomic, validating."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kollegium.accounts.models import User
from kollegium.competence import csvio
from kollegium.competence.models import (
    CompetenceProfile,
    Endorsement,
    FocusSkill,
    SchoolTypes,
    Skill,
    SkillArea,
    SkillLevel,
)
from kollegium.competence.permissions import can_use_skill, can_view_levels_of
from kollegium.competence.scope import load_scope
from kollegium.competence.selectors import skills_for_school
from kollegium.core.homepage import home_changed
from kollegium.core.services import audit_record
from kollegium.groups.services.groups import group_create
from kollegium.groups.services.guides import shipped_guide
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import (
    DevelopmentFocus,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
)
from kollegium.organisations.permissions import can_manage_school


def _touch_profile(user: User) -> CompetenceProfile:
    profile, _created = CompetenceProfile.objects.get_or_create(user=user)
    profile.updated_at = timezone.now()
    profile.save(update_fields=["updated_at"])
    return profile


def _check_level(level: Any) -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 4:
        raise ValidationError({"level": _("Choose a level from 1 to 4.")})
    return value


@transaction.atomic
def skill_level_set(
    *,
    actor: Actor,
    skill: Skill,
    level: int,
    willing_to_share: bool = False,
    want_to_learn: bool = False,
    evidence: str = "",
) -> SkillLevel:
    """Set the actor's own level in a skill (creating or updating it)."""
    if not can_use_skill(actor, skill) or skill.is_retired:
        raise ValidationError({"skill": _("That skill is not available.")})
    value = _check_level(level)
    evidence = (evidence or "").strip()
    if len(evidence) > csvio.MAX_EVIDENCE:
        raise ValidationError(
            {"evidence": _("Keep the evidence note to %(max)d characters.") % {"max": 200}}
        )
    person = as_actor(actor).person
    skill_level, _created = SkillLevel.objects.update_or_create(
        user=person,
        skill=skill,
        defaults={
            "level": value,
            "willing_to_share": bool(willing_to_share),
            "want_to_learn": bool(want_to_learn),
            "evidence": evidence,
            "updated_at": timezone.now(),
        },
    )
    if not skill_level.can_be_endorsed:
        # Endorsements vouch for levels 3–4; below that they would vouch for nothing.
        Endorsement.objects.filter(skill_level=skill_level).delete()
    _touch_profile(person)
    return skill_level


@transaction.atomic
def skill_levels_choose(*, actor: Actor, levels: dict[Skill, int | None]) -> int:
    """Quick start: set only the level of each skill (keeping what else the person noted);
    None removes the level ("not for me"). All valid or nothing changes. Returns the count."""
    person = as_actor(actor).person
    if not levels:
        raise ValidationError(_("Choose a level for at least one skill."))
    for skill, value in levels.items():
        if not can_use_skill(actor, skill) or skill.is_retired:
            raise ValidationError({"skill": _("That skill is not available.")})
        if value is not None:
            _check_level(value)
    existing = {
        lvl.skill_id: lvl
        for lvl in SkillLevel.objects.filter(user=person, skill__in=[s.pk for s in levels])
    }
    now = timezone.now()
    for skill, value in levels.items():
        current = existing.get(skill.pk)
        if value is None:
            if current is not None:
                current.delete()
        elif current is None:
            SkillLevel.objects.create(user=person, skill=skill, level=value, updated_at=now)
        elif current.level != value:
            current.level = value
            current.updated_at = now
            current.save(update_fields=["level", "updated_at"])
            if not current.can_be_endorsed:
                Endorsement.objects.filter(skill_level=current).delete()
    _touch_profile(person)
    return len(levels)


@transaction.atomic
def school_types_set(*, actor: Actor, school: Organisation, types: list[str]) -> None:
    """A leader says which school types (skolformer) the school has."""
    if not can_manage_school(actor, school):
        raise PermissionDenied
    known = load_scope().type_keys
    chosen = [key for key in known if key in set(types)]
    if not chosen or len(set(types)) != len(chosen):
        raise ValidationError({"types": _("Choose at least one of the school types listed.")})
    SchoolTypes.objects.update_or_create(
        school=school, defaults={"keys": ",".join(chosen), "updated_at": timezone.now()}
    )
    audit_record(
        actor=actor, action="competence.school_types_set", school=school, data={"types": chosen}
    )


@transaction.atomic
def skill_level_remove(*, actor: Actor, skill: Skill) -> None:
    person = as_actor(actor).person
    SkillLevel.objects.filter(user=person, skill=skill).delete()
    _touch_profile(person)


@transaction.atomic
def profile_settings_update(*, actor: Actor, visible_in_network: bool, ask_me_about: str) -> None:
    ask_me_about = (ask_me_about or "").strip()
    if len(ask_me_about) > 300:
        raise ValidationError({"ask_me_about": _("Keep it to 300 characters.")})
    person = as_actor(actor).person
    profile = _touch_profile(person)
    profile.visible_in_network = bool(visible_in_network)
    profile.save(update_fields=["visible_in_network"])
    person.ask_me_about = ask_me_about
    person.save(update_fields=["ask_me_about"])


@transaction.atomic
def endorsement_add(*, actor: Actor, skill_level: SkillLevel) -> Endorsement:
    if skill_level.user_id == actor.pk:
        raise ValidationError(_("You cannot endorse your own skill."))
    if not can_view_levels_of(actor, skill_level.user):
        raise PermissionDenied
    if not skill_level.can_be_endorsed:
        raise ValidationError(
            _("Endorsements are for levels 3 and 4 (confident, can guide others).")
        )
    if Endorsement.objects.filter(skill_level=skill_level, endorser_id=actor.pk).exists():
        raise ValidationError(_("You have already endorsed this skill."))
    return Endorsement.objects.create(skill_level=skill_level, endorser=as_actor(actor).person)


@transaction.atomic
def endorsement_remove(*, actor: Actor, skill_level: SkillLevel) -> None:
    Endorsement.objects.filter(skill_level=skill_level, endorser_id=actor.pk).delete()


@transaction.atomic
def custom_skill_create(
    *,
    actor: Actor,
    school: Organisation,
    area: SkillArea,
    name_sv: str,
    name_en: str = "",
    description_sv: str = "",
    description_en: str = "",
    network: Network | None = None,
) -> Skill:
    """A leader adds a skill for their own school, or for a network their school is in
    (the taxonomy stays as shipped)."""
    if not can_manage_school(actor, school):
        raise PermissionDenied
    if (
        network is not None
        and not NetworkMembership.objects.filter(network=network, school=school).exists()
    ):
        raise ValidationError({"network": _("Your school is not part of that network.")})
    name_sv = (name_sv or "").strip()
    name_en = (name_en or "").strip() or name_sv
    if not name_sv:
        raise ValidationError({"name_sv": _("Give the skill a name.")})
    if len(name_sv) > 120 or len(name_en) > 120:
        raise ValidationError({"name_sv": _("Keep the name to 120 characters.")})
    slug = re.sub(r"[^a-z0-9_]", "_", slugify(name_sv).replace("-", "_"))[:40].strip("_")
    owner = f"network{network.pk}" if network is not None else f"school{school.pk}"
    base_key = f"{owner}.{slug or 'skill'}"
    key, n = base_key, 2
    while Skill.objects.filter(key=key).exists():
        key, n = f"{base_key}_{n}", n + 1
    same_name = Skill.objects.filter(name_sv__iexact=name_sv)
    if same_name.filter(school=None, network=None).exists() or (
        same_name.filter(network=network).exists()
        if network is not None
        else same_name.filter(school=school).exists()
    ):
        raise ValidationError({"name_sv": _("There is already a skill with that name.")})
    skill = Skill.objects.create(
        key=key,
        area=area,
        name_sv=name_sv,
        name_en=name_en,
        description_sv=(description_sv or "").strip()[:300],
        description_en=(description_en or "").strip()[:300],
        order=1000,
        school=None if network is not None else school,
        network=network,
        created_by=as_actor(actor).person,
    )
    audit_record(actor=actor, action="competence.skill_created", target=skill, school=school)
    return skill


@transaction.atomic
def focus_skills_set(*, actor: Actor, focus: DevelopmentFocus, skills: list[Skill]) -> None:
    """Link a development focus area to exactly these skills."""
    if not can_manage_school(actor, focus.school):
        raise PermissionDenied
    usable = set(skills_for_school(focus.school).values_list("pk", flat=True))
    if any(skill.pk not in usable for skill in skills):
        raise ValidationError({"skills": _("Choose skills that your school can use.")})
    wanted = {s.pk for s in skills}
    FocusSkill.objects.filter(focus=focus).exclude(skill_id__in=wanted).delete()
    have = set(FocusSkill.objects.filter(focus=focus).values_list("skill_id", flat=True))
    FocusSkill.objects.bulk_create(
        [FocusSkill(focus=focus, skill_id=pk) for pk in sorted(wanted - have)]
    )
    audit_record(
        actor=actor,
        action="competence.focus_skills_set",
        target=focus,
        school=focus.school,
        data={"skills": len(wanted)},
    )


def _usable_skills(actor: Actor, school: Organisation | None) -> dict[str, Skill]:
    if school is None:
        skills = Skill.objects.filter(is_retired=False, school=None, network=None)
    else:
        skills = skills_for_school(school)
    return {s.key: s for s in skills}


@transaction.atomic
def profile_import_csv(*, actor: Actor, text: str, school: Organisation | None) -> int:
    """Import one's own profile. All rows valid or nothing changes. Returns rows imported."""
    skills = _usable_skills(actor, school)
    try:
        rows = csvio.parse(text, with_email=False, skill_keys=set(skills))
    except csvio.CsvProblems as problems:
        raise ValidationError(problems.problems) from None
    for row in rows:
        skill_level_set(
            actor=actor,
            skill=skills[row.skill_key],
            level=row.level,
            willing_to_share=row.willing_to_share,
            want_to_learn=row.want_to_learn,
            evidence=row.evidence,
        )
    return len(rows)


@transaction.atomic
def matrix_import_csv(*, actor: Actor, school: Organisation, text: str) -> int:
    """A leader imports the school's matrix (round-trips with the export).

    Sets the levels in the file; levels not in the file are left alone. All or nothing."""
    if not can_manage_school(actor, school):
        raise PermissionDenied
    skills = _usable_skills(actor, school)
    people = {
        m.user.email.lower(): m.user
        for m in Membership.objects.filter(school=school).select_related("user")
    }
    try:
        rows = csvio.parse(text, with_email=True, skill_keys=set(skills), known_emails=set(people))
    except csvio.CsvProblems as problems:
        raise ValidationError(problems.problems) from None
    existing = {
        (lvl.user_id, lvl.skill_id): lvl
        for lvl in SkillLevel.objects.filter(
            user__in=list(people.values()), skill__in=list(skills.values())
        )
    }
    now = timezone.now()
    to_create, to_update = [], []
    for row in rows:
        user, skill = people[row.email], skills[row.skill_key]
        values = {
            "level": row.level,
            "willing_to_share": row.willing_to_share,
            "want_to_learn": row.want_to_learn,
            "evidence": row.evidence,
        }
        current = existing.get((user.pk, skill.pk))
        if current is None:
            to_create.append(SkillLevel(user=user, skill=skill, updated_at=now, **values))
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            current.updated_at = now
            to_update.append(current)
    SkillLevel.objects.bulk_create(to_create, batch_size=1000)
    SkillLevel.objects.bulk_update(
        to_update,
        ["level", "willing_to_share", "want_to_learn", "evidence", "updated_at"],
        batch_size=1000,
    )
    lowered = [lvl.pk for lvl in to_update if not lvl.can_be_endorsed]
    for start in range(0, len(lowered), 1000):
        Endorsement.objects.filter(skill_level_id__in=lowered[start : start + 1000]).delete()
    home_changed(
        school_ids=Membership.objects.filter(user__in=list(people.values())).values("school_id")
    )
    audit_record(
        actor=actor,
        action="competence.matrix_imported",
        school=school,
        data={"rows": len(rows), "created": len(to_create), "updated": len(to_update)},
    )
    return len(rows)


@transaction.atomic
def transfer_pair_start(
    *,
    actor: Actor,
    school: Organisation,
    skill: Skill,
    holder: User,
    learner: User,
    kind: str = "mentoring",
) -> Any:
    """Turn a suggested transfer pair into a learning group (mentoring pair or workshop)
    through the groups app's own service."""
    if not can_manage_school(actor, school):
        raise PermissionDenied
    if kind not in ("mentoring", "workshop"):
        raise ValidationError(_("Choose a mentoring pair or a workshop."))
    members = set(Membership.objects.filter(school=school).values_list("user_id", flat=True))
    if holder.pk not in members or learner.pk not in members:
        raise ValidationError(_("Both people must work at the school."))
    holder_level = SkillLevel.objects.filter(user=holder, skill=skill, level__gte=3).first()
    if holder_level is None:
        raise ValidationError(
            _("%(name)s is no longer at level 3–4 in this skill.") % {"name": holder}
        )
    name = (_("Mentoring: %(skill)s") if kind == "mentoring" else _("Workshop: %(skill)s")) % {
        "skill": skill.name
    }
    today = timezone.localdate()
    group = group_create(
        actor=actor,
        school=school,
        name=name[:120],
        guide=shipped_guide(kind),
        starts_on=today,
        ends_on=today + timedelta(days=90),
        member_ids=[holder.pk, learner.pk],
        purpose=_("Share %(skill)s: %(holder)s with %(learner)s.")
        % {"skill": skill.name, "holder": holder, "learner": learner},
    )
    return group
