"""Checks that a page runs the same number of SQL queries whatever the data size."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(action: Callable[[], Any]) -> tuple[int, Any, list[str]]:
    with CaptureQueriesContext(connection) as context:
        result = action()
    return len(context.captured_queries), result, [q["sql"] for q in context.captured_queries]


def assert_constant_queries(
    fetch: Callable[[], Any], grow: Callable[[], None], *, expect_status: int = 200
) -> int:
    """Runs `fetch` (e.g. `lambda: client.get(url)`), grows the data, runs it again.

    Fails if the second run needed more queries than the first, printing both query lists.
    Returns the query count, so a test can also pin it.
    """
    first, response, first_sql = count_queries(fetch)
    if hasattr(response, "status_code"):
        assert response.status_code == expect_status, response.status_code
    grow()
    second, response, second_sql = count_queries(fetch)
    if hasattr(response, "status_code"):
        assert response.status_code == expect_status, response.status_code
    assert first == second, (
        f"Query count grew with the data: {first} -> {second}\n--- small:\n"
        + "\n".join(first_sql)
        + "\n--- large:\n"
        + "\n".join(second_sql)
    )
    return first
