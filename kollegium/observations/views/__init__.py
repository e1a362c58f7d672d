"""The app's views, thin: parse, check access, call a service or selector, render."""

from kollegium.observations.views.observations import (
    act,
    debrief,
    detail,
    feedback,
    focus,
    guide,
    home,
    learning_withdraw,
    note_add,
    request_new,
    reschedule,
    share,
)
from kollegium.observations.views.rounds import (
    pair_answer,
    pair_move,
    round_action,
    round_detail,
    round_new,
    rounds,
    statistics,
    statistics_csv,
)

__all__ = [
    "act",
    "debrief",
    "detail",
    "feedback",
    "focus",
    "guide",
    "home",
    "learning_withdraw",
    "note_add",
    "pair_answer",
    "pair_move",
    "request_new",
    "reschedule",
    "round_action",
    "round_detail",
    "round_new",
    "rounds",
    "share",
    "statistics",
    "statistics_csv",
]
