"""Background work shared by every app, and the one way to enqueue a task.

DESIGN.md: tasks are enqueued on commit, never run inside the caller's transaction. With the
immediate backend (development and tests) ``task.enqueue()`` runs the task at once, so a call
inside a service's ``transaction.atomic`` would run the whole task inside that transaction:
its writes invisible to others until the request ends (a progress bar that never moves),
rolled back with the request, and holding the request's locks for as long as it runs. With the
database backend the worker could pick the task up before the caller's rows are committed, or
run it for rows that a rollback removed. So every task is enqueued through
:func:`enqueue_on_commit`, and ``kollegium/core/tests/test_tasks.py`` checks that nothing
calls ``.enqueue()`` anywhere else.
"""

from __future__ import annotations

from functools import partial
from typing import ParamSpec, TypeVar

from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task
from django_tasks.base import Task

P = ParamSpec("P")
T = TypeVar("T")


def enqueue_on_commit(task: Task[P, T], /, *args: P.args, **kwargs: P.kwargs) -> None:
    """Enqueue ``task`` once the current transaction commits; at once outside a transaction.

    A rollback enqueues nothing. The arguments must be JSON values (ids, not model objects),
    as for ``task.enqueue``. The task reads what it needs when it runs, and records its own
    status and progress through services, each in its own short transaction.
    """
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))


@task()
def send_email(*, to: list[str], subject: str, body: str, html_body: str | None = None) -> int:
    """Sends one email. Runs inline in development and tests, on the worker in production."""
    return send_mail(
        subject=subject,
        message=body,
        from_email=None,
        recipient_list=to,
        html_message=html_body,
        fail_silently=False,
    )
