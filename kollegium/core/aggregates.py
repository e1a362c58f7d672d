"""Figures about groups of people, never about one person (pure: no Django).

Leaders and school owners see counts, shares and distributions only where enough people are
behind them that no single teacher can be picked out. The minimum is the school owner's
setting (``Organisation.min_group_size``, read with
``kollegium.organisations.selectors.min_group_size``); below it a page says "too few to show"
and the numbers never reach the template.
"""

from __future__ import annotations

#: The default minimum, also the lowest an owner may choose is MIN_ALLOWED.
DEFAULT_MIN_GROUP_SIZE = 5
MIN_ALLOWED = 3
MAX_ALLOWED = 50


def shown(count: int | None, minimum: int) -> bool:
    """Whether a figure about ``count`` people may be shown under a minimum group size."""
    return count is not None and count >= max(minimum, MIN_ALLOWED)
