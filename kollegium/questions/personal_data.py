"""The questions app's personal data (issue 12).

Questions asked anonymously are never in the export: nothing stored links them to the asker
that anyone can follow. At erasure the keyed digest that lets the asker recognise their own
anonymous question (anonymity.py) is cleared too, so not even the server can link it.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from kollegium.core.registry import Erasure, PersonalData, register_personal_data
from kollegium.questions.anonymity import is_asker_id
from kollegium.questions.models import Question

_SHARED = (
    "Questions and answers are shared knowledge that others built on; the person is replaced "
    "by the role and their name in the text too."
)


def _open_questions(person: Any) -> Iterable[Mapping[str, Any]]:
    return (
        Question.objects.filter(author=person, is_anonymous=False)
        .order_by("pk")
        .values("title", "body", "visibility", "school__name", "created_at")
    )


def _forget_anonymous(erasure: Erasure) -> int:
    """Clears the digests of the person's anonymous questions at the schools they were at."""
    schools = erasure.person.memberships.values("school_id")
    candidates = Question.objects.filter(
        is_anonymous=True, school__in=schools, asker_digest__gt=""
    ).only("pk", "is_anonymous", "asker_digest")
    mine = [q.pk for q in candidates.iterator() if is_asker_id(erasure.person.pk, q)]
    return Question.objects.filter(pk__in=mine).update(asker_digest="", follow_token_hash="")


register_personal_data(
    PersonalData(
        model="questions.Question",
        person_fields=("author",),
        export=_open_questions,
        erase=_forget_anonymous,
        text_fields=("title", "body"),
        order=50,  # before the memberships go
    ),
    PersonalData(
        model="questions.Answer",
        person_fields=("author",),
        export_fields=("question__title", "body", "created_at"),
        erase="keep",
        kept=_SHARED,
        text_fields=("body",),
    ),
    PersonalData(
        model="questions.HelpfulMark",
        person_fields=("user",),
        export_fields=("answer__question__title", "created_at"),
    ),
    PersonalData(
        model="questions.Routing",
        person_fields=("recipient",),
        export_fields=("question__title", "created_at"),
    ),
)
