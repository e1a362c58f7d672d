"""The competence app's personal data (issue 12): levels, evidence, endorsements."""

from kollegium.competence.permissions import levels_audience
from kollegium.core.audience import register_audience
from kollegium.core.registry import PersonalData, register_personal_data

register_personal_data(
    PersonalData(
        model="competence.CompetenceProfile",
        person_fields=("user",),
        export_fields=("visible_in_network", "updated_at"),
    ),
    PersonalData(
        model="competence.SkillLevel",
        person_fields=("user",),
        export_fields=(
            "skill__name_sv",
            "skill__name_en",
            "level",
            "willing_to_share",
            "want_to_learn",
            "evidence",
            "updated_at",
        ),
        text_fields=("evidence",),
    ),
    PersonalData(
        model="competence.Endorsement",
        person_fields=("endorser",),
        export_fields=("skill_level__skill__name_sv", "skill_level__skill__name_en", "created_at"),
    ),
    PersonalData(
        model="competence.Skill",
        person_fields=("created_by",),
        export_fields=("name_sv", "name_en", "created_at"),
        erase="keep",
        kept="A skill in the school's list that others record levels in; its creator is "
        "replaced by the role.",
    ),
)

# "Who can see this?" on the competence profile (core/audience.py): a person's levels.
register_audience("accounts.User", levels_audience, aspect="levels")
