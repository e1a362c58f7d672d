"""Demo data: a few questions at Björkskolan, one anonymous, one answered."""

from __future__ import annotations

from datetime import timedelta

from kollegium.competence.models import Skill
from kollegium.core.demo import DemoData
from kollegium.questions import services
from kollegium.questions.models import Question


def load_demo(demo: DemoData) -> None:
    people = demo.people
    if not {"bob", "carol", "ida", "erik", "gustav"} <= set(people):
        return
    skill = {
        s.key: s
        for s in Skill.objects.filter(
            key__in=[
                "literacy.comprehension",
                "inclusion.npf",
                "digital.programming_block",
            ]
        )
    }
    q1, _token = services.question_ask(
        actor=people["ida"],
        school=demo.school_a,
        title="Hur får jag igång boksamtal i en stökig åk 5?",
        body="Vi har provat en gång men det blev mest tyst. Tips på struktur?",
        skills=[skill["literacy.comprehension"]],
    )
    a1 = services.answer_post(
        actor=people["carol"],
        question=q1,
        body="Börja med korta texter och fasta roller (frågeställare, sammanfattare...). "
        "Läslyftets modul om boksamtal har färdiga samtalskort.",
    )
    services.answer_accept(actor=people["ida"], question=q1, answer=a1)
    services.helpful_toggle(actor=people["bob"], answer=a1)
    anonymous, _token = services.question_ask(
        actor=people["bob"],
        school=demo.school_a,
        title="Hur bemöter jag en elev som vägrar börja på uppgifter?",
        body="Det gäller en elev i åk 4 med misstänkt adhd.",
        skills=[skill["inclusion.npf"]],
        anonymous=True,
    )
    # Asked yesterday; the hourly batch (manage.py questions_route) has routed it since.
    Question.objects.filter(pk=anonymous.pk).update(
        created_at=anonymous.created_at - timedelta(days=1)
    )
    services.questions_route_waiting()
    services.question_ask(
        actor=people["erik"],
        school=demo.school_a,
        title="Någon som har kört Scratch i åk 4 och kan tipsa om en första lektion?",
        skills=[skill["digital.programming_block"]],
        visibility="network",
    )
