"""Method guides in the database: shipped versions and schools' adapted versions."""

from __future__ import annotations

from functools import lru_cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kollegium.core.services import audit_record
from kollegium.groups import guides as guide_core
from kollegium.groups.models import MethodGuide
from kollegium.groups.permissions import can_adapt_guides_at
from kollegium.organisations.actor import Actor, as_actor
from kollegium.organisations.models import Organisation

MAX_GUIDE_CHARS = 200_000

#: The loader's reasons, said in the person's language. The place (``what``) stays as the
#: guide's own keys, e.g. "step 'starter'", because that is what the person edits.
GUIDE_PROBLEMS = {
    "unknown_value": gettext_lazy("%(what)s: “%(value)s” is not allowed. Allowed: %(known)s."),
    "missing_field": gettext_lazy("%(what)s: the field “%(field)s” is missing."),
    "unknown_field": gettext_lazy("%(what)s: there is no field called “%(field)s”."),
    "duplicate_key": gettext_lazy("%(what)s: “%(key)s” is given twice."),
    "not_integer": gettext_lazy("%(what)s must be a whole number."),
    "out_of_range": gettext_lazy("%(what)s must be between %(low)s and %(high)s, not %(value)s."),
    "not_text": gettext_lazy("%(what)s must be text."),
    "not_list": gettext_lazy("%(what)s must be a list."),
    "empty": gettext_lazy("%(what)s must not be empty."),
    "invalid_yaml": gettext_lazy("the text is not valid YAML (%(problem)s)."),
    "talk_minutes_not_talk": gettext_lazy(
        "%(what)s: “talk_minutes” is only for steps of the type “talk”, not “%(type)s”."
    ),
    "talk_longer_than_step": gettext_lazy(
        "%(what)s: a talk of %(talk)s minutes does not fit in the step's %(minutes)s minutes."
    ),
    "speaker_list_on_talk": gettext_lazy(
        "%(what)s: a talk step lists its own speakers; use “speaker_list_for” on another step."
    ),
    "unknown_meeting_type": gettext_lazy(
        "%(what)s: there is no meeting type called “%(value)s” in the guide."
    ),
    "no_talks_to_list": gettext_lazy(
        "%(what)s: the meeting type “%(value)s” has no talk step with “talk_minutes”."
    ),
}


def guide_problem(error: guide_core.GuideError) -> str:
    template = GUIDE_PROBLEMS.get(error.code)
    if template is None:
        return error.message
    return str(template) % error.params


@lru_cache(maxsize=1)
def shipped_guide_files() -> dict[str, tuple[guide_core.Guide, str]]:
    """slug -> (parsed guide, YAML text) for every file in data/guides (validated once)."""
    found: dict[str, tuple[guide_core.Guide, str]] = {}
    for path in sorted(guide_core.GUIDES_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        guide = guide_core.parse_guide(text, path.name)
        if guide.slug in found:
            raise guide_core.GuideError(path.name, None, f"slug '{guide.slug}' is used twice")
        found[guide.slug] = (guide, text)
    return found


def shipped_guide(slug: str) -> MethodGuide:
    """The database row for the current version of a shipped guide (created on first use)."""
    files = shipped_guide_files()
    if slug not in files:
        raise ValidationError(_("There is no method guide called “%(slug)s”.") % {"slug": slug})
    guide, text = files[slug]
    existing = MethodGuide.objects.filter(school=None, slug=slug, version=guide.version).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return MethodGuide.objects.create(
                school=None,
                slug=slug,
                version=guide.version,
                method=guide.method,
                title_sv=guide.title.sv,
                title_en=guide.title.en,
                source=text,
            )
    except IntegrityError:  # created by a parallel request
        return MethodGuide.objects.get(school=None, slug=slug, version=guide.version)


@transaction.atomic
def guide_adapt(
    *, actor: Actor, school: Organisation, base: MethodGuide, source: str
) -> MethodGuide:
    """Save a school's adapted version of a guide. The text is validated by the same loader
    as the shipped files; a broken guide is refused with its line number."""
    if not can_adapt_guides_at(actor, school.pk):
        raise PermissionDenied
    if base.school_id not in (None, school.pk):
        raise PermissionDenied
    if len(source) > MAX_GUIDE_CHARS:
        raise ValidationError({"source": _("The guide is too long.")})
    try:
        parsed = guide_core.parse_guide(source, _("the adapted guide"))
    except guide_core.GuideError as error:
        where = _("line %(line)s") % {"line": error.line} if error.line else _("whole file")
        raise ValidationError(
            {
                "source": _("The guide could not be read (%(where)s): %(problem)s")
                % {"where": where, "problem": guide_problem(error)}
            }
        ) from None
    latest = MethodGuide.objects.filter(school=school, slug=parsed.slug).aggregate(
        v=Max("version")
    )["v"]
    version = (latest or 0) + 1
    guide = MethodGuide.objects.create(
        school=school,
        slug=parsed.slug,
        version=version,
        method=parsed.method,
        title_sv=parsed.title.sv,
        title_en=parsed.title.en,
        source=source,
        based_on=base,
        created_by=as_actor(actor).person,
    )
    audit_record(
        actor=actor,
        action="groups.guide_adapted",
        target=guide,
        school=school,
        data={"slug": parsed.slug, "version": version, "based_on": base.pk},
    )
    return guide
