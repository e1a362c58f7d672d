"""Every write of the observations app. Views, tasks and commands call these and nothing else."""

from kollegium.observations.services.observations import (
    learning_share,
    learning_withdraw,
    observation_agree,
    observation_cancel,
    observation_debrief_set,
    observation_decline,
    observation_feedback_save,
    observation_mark_debriefed,
    observation_mark_done,
    observation_note_add,
    observation_request,
    observation_reschedule,
    observation_set_focus,
)
from kollegium.observations.services.rounds import (
    pair_move,
    pair_respond,
    round_close,
    round_create,
    round_publish,
    round_solve,
    round_store_result,
)

__all__ = [
    "learning_share",
    "learning_withdraw",
    "observation_agree",
    "observation_cancel",
    "observation_debrief_set",
    "observation_decline",
    "observation_feedback_save",
    "observation_mark_debriefed",
    "observation_mark_done",
    "observation_note_add",
    "observation_request",
    "observation_reschedule",
    "observation_set_focus",
    "pair_move",
    "pair_respond",
    "round_close",
    "round_create",
    "round_publish",
    "round_solve",
    "round_store_result",
]
