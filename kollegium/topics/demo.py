"""Demo data: topics proposed at Björkskolan and Ekskolan after a few weeks, with responses,
a leader's decisions, one taken up as a TeachMeet and one opened to the network."""

from __future__ import annotations

from kollegium.competence.models import Skill
from kollegium.core.demo import DemoData
from kollegium.topics import services


def load_demo(demo: DemoData) -> None:
    people = demo.people
    if not {"alice", "bob", "carol", "erik", "fatima", "hanna", "ida", "dave", "eva"} <= set(
        people
    ):
        return
    skill = {
        s.key: s
        for s in Skill.objects.filter(
            key__in=[
                "literacy.comprehension",
                "inclusion.npf",
                "assessment.feedback",
                "digital.programming_block",
                "language.sva",
            ]
        )
    }
    focus = demo.focus_areas[0] if demo.focus_areas else None
    reading = services.topic_propose(
        actor=people["ida"],
        school=demo.school_a,
        title="Läsförståelse i åk 4–6: strategier som håller",
        need="Många elever i åk 4–6 läser flytande men kan inte sammanfatta eller dra "
        "slutsatser ur en text; det syns i alla ämnen, inte bara i svenska.",
        description="Pröva och följa upp undervisning i lässtrategier i flera ämnen.",
        evidence="Nationella proven i åk 6: läsförståelsedelen lägst av delproven två år i rad.",
        focus=focus if focus is not None and focus.school_id == demo.school_a.pk else None,
        skills=[s for k, s in skill.items() if k == "literacy.comprehension"],
        shared_with_network=True,
    )
    services.topic_respond(actor=people["erik"], topic=reading, kind="need_too")
    services.topic_respond(actor=people["hanna"], topic=reading, kind="need_too")
    services.topic_respond(
        actor=people["carol"],
        topic=reading,
        kind="contribute",
        text="Jag har lett Läslyftets modul om läsförståelse två gånger.",
    )
    services.topic_respond(actor=people["dave"], topic=reading, kind="need_too")

    npf = services.topic_propose(
        actor=people["fatima"],
        school=demo.school_a,
        title="Tydliggörande pedagogik för elever med NPF",
        need="Elever med koncentrationssvårigheter tappar fokus vid övergångar mellan "
        "lektionens delar och hinner inte komma igång med uppgifter.",
        skills=[s for k, s in skill.items() if k == "inclusion.npf"],
        needs_expert=True,
    )
    services.topic_respond(
        actor=people["bob"],
        topic=npf,
        kind="question",
        text="Gäller det även fritidshemmet?",
    )
    services.topic_decide(
        actor=people["alice"],
        topic=npf,
        decision="later",
        reason="Viktigt, men vi vill ha med specialpedagogen som börjar i januari. "
        "Vi tar upp det igen då.",
    )

    feedback = services.topic_propose(
        actor=people["bob"],
        school=demo.school_a,
        title="Återkoppling som eleverna använder",
        need="Eleverna läser omdömet men ändrar sällan något i sitt arbete efteråt.",
        skills=[s for k, s in skill.items() if k == "assessment.feedback"],
    )
    services.topic_respond(actor=people["erik"], topic=feedback, kind="contribute")
    services.topic_take_up(
        actor=people["alice"],
        topic=feedback,
        format="teachmeet",
        name="TeachMeet: återkoppling som används",
        reason="Flera har redan prövat något; en TeachMeet sprider det snabbast.",
    )

    services.topic_propose(
        actor=people["dave"],
        school=demo.school_b,
        title="Språkutvecklande arbetssätt i NO",
        need="Nyanlända elever förstår experimenten men saknar orden för att förklara dem.",
        skills=[s for k, s in skill.items() if k == "language.sva"],
        shared_with_network=True,
    )
