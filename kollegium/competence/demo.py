"""Demo data: a filled-in competence map for Björkskolan after a few weeks of use."""

from __future__ import annotations

from kollegium.competence.models import (
    CompetenceProfile,
    Endorsement,
    FocusSkill,
    SchoolTypes,
    Skill,
    SkillLevel,
)
from kollegium.core.demo import DemoData

# person -> [(skill key, level, willing to share, want to learn, evidence)]
DEMO_LEVELS: dict[str, list[tuple[str, int, bool, bool, str]]] = {
    "alice": [
        ("development.quality_work", 4, True, False, "Leder skolans kvalitetsarbete sedan 2019"),
        ("collegial.plc", 3, True, False, ""),
        ("assessment.formative", 2, False, True, ""),
    ],
    "bob": [
        ("assessment.formative", 3, True, False, "Exit tickets i alla mattelektioner"),
        ("mathematics.problem_solving", 4, True, False, "Matematiklyftet, problemlösningsmodulen"),
        ("mathematics.discussions", 3, True, False, ""),
        ("digital.programming_block", 1, False, True, ""),
        ("digital.programming_text", 1, False, True, ""),
        ("literacy.comprehension", 2, False, True, ""),
    ],
    "carol": [
        ("literacy.comprehension", 4, True, False, "Läslyftet två gånger, som handledare"),
        ("language.genre", 4, True, False, "Cirkelmodellen i åk 4–6"),
        ("collegial.tlc", 4, True, False, "Leder två lärgrupper"),
        ("collegial.observation", 3, True, False, ""),
        ("assessment.formative", 3, True, False, ""),
        ("digital.ai", 1, False, True, ""),
    ],
    "erik": [
        ("assessment.formative", 4, True, False, "Föreläst om formativ bedömning i NO"),
        ("digital.programming_text", 4, True, False, "Python i fysik och matematik"),
        ("subject.physics", 4, False, False, ""),
        ("subject.chemistry", 3, True, False, ""),
        ("outdoor.nature_science", 2, False, True, ""),
    ],
    "fatima": [
        ("language.sva", 4, True, False, "Behörig i svenska som andraspråk"),
        ("language.language_focused", 4, True, False, ""),
        ("language.newly_arrived", 3, True, False, ""),
        ("literacy.comprehension", 2, False, True, ""),
        ("digital.programming_block", 1, False, True, ""),
    ],
    "gustav": [
        ("inclusion.npf", 4, True, False, "Specialpedagog, NPF-utbildning"),
        ("inclusion.adaptations", 4, True, False, ""),
        ("classroom.study_climate", 3, True, False, ""),
        ("assessment.formative", 1, False, True, ""),
    ],
    "hanna": [
        ("outdoor.teaching_outdoors", 4, True, False, "Ute-dag varje fredag i åk 2"),
        ("literacy.early_reading", 4, True, False, ""),
        ("mathematics.manipulatives", 3, True, False, ""),
        ("digital.programming_block", 2, False, True, ""),
    ],
    "ida": [
        ("subject.music", 4, False, False, ""),
        ("classroom.relations", 3, True, False, ""),
        ("digital.tools", 3, True, False, ""),
        ("mathematics.problem_solving", 1, False, True, ""),
        ("literacy.comprehension", 1, False, True, ""),
    ],
    "dave": [
        ("digital.programming_block", 4, True, False, "Scratch-klubb på Ekskolan"),
        ("assessment.formative", 3, True, False, ""),
    ],
    "eva": [("development.quality_work", 3, True, False, "")],
}

# focus title prefix -> skill keys
DEMO_FOCUS = {
    "Formativ": ["assessment.formative", "assessment.feedback", "assessment.peer_self"],
    "Läsförståelse": ["literacy.comprehension", "language.genre", "literacy.reading_engagement"],
    "Programmering": [
        "digital.programming_block",
        "digital.programming_text",
        "mathematics.digital",
    ],
}


def load_demo(demo: DemoData) -> None:
    skills = {s.key: s for s in Skill.objects.all()}
    # Both demo schools are compulsory schools (F–9): their coverage leaves out vocational
    # subjects, sfi and preschool play.
    for school in (demo.school_a, demo.school_b):
        SchoolTypes.objects.create(school=school, keys="compulsory")
    people = demo.people
    levels: dict[tuple[str, str], SkillLevel] = {}
    for name, rows in DEMO_LEVELS.items():
        person = people.get(name)
        if person is None:
            continue
        CompetenceProfile.objects.update_or_create(
            user=person, defaults={"visible_in_network": name in ("erik", "dave", "carol")}
        )
        for key, level, share, want, evidence in rows:
            levels[(name, key)] = SkillLevel.objects.create(
                user=person,
                skill=skills[key],
                level=level,
                willing_to_share=share,
                want_to_learn=want,
                evidence=evidence,
            )
    for endorser, holder, key in [
        ("bob", "carol", "literacy.comprehension"),
        ("fatima", "carol", "literacy.comprehension"),
        ("carol", "erik", "assessment.formative"),
        ("alice", "gustav", "inclusion.npf"),
        ("ida", "hanna", "outdoor.teaching_outdoors"),
    ]:
        if (holder, key) in levels and endorser in people:
            Endorsement.objects.create(skill_level=levels[(holder, key)], endorser=people[endorser])
    for focus in demo.focus_areas:
        for prefix, keys in DEMO_FOCUS.items():
            if focus.title.startswith(prefix):
                FocusSkill.objects.bulk_create(
                    [FocusSkill(focus=focus, skill=skills[k]) for k in keys]
                )
