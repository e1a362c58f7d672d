"""Method guides: a pure loader, validator and agenda generator (no Django imports).

A guide is a YAML document (see ``data/guides/*.yaml``) describing a collegial-learning
method: its phases and, per meeting type, the agenda steps with a time box, a purpose,
prompts for the discussion leader and the roles involved. Every visible text is given in
Swedish and English.

The loader walks the YAML *node* tree rather than the constructed Python objects, so that
every error can point at the file and line where the problem is. A broken guide therefore
fails when it is loaded (at start-up, in tests, when an adapted guide is saved), never in
the middle of a meeting.
"""

from kollegium.groups.guides.agenda import (
    AgendaStep,
    PreviousCommitment,
    generate_agenda,
    next_phase,
)
from kollegium.groups.guides.loader import GUIDES_DIR, load_guide_file, load_guides, parse_guide
from kollegium.groups.guides.model import (
    COMMITMENT_STEP_TYPES,
    FOLLOW_UP_STEP_TYPES,
    LANGUAGES,
    MAX_STEP_MINUTES,
    MAX_STEPS,
    METHODS,
    ROLES,
    STEP_TYPES,
    Guide,
    GuideError,
    MeetingType,
    Phase,
    Step,
    Text,
    TextList,
)

__all__ = [
    "COMMITMENT_STEP_TYPES",
    "FOLLOW_UP_STEP_TYPES",
    "GUIDES_DIR",
    "LANGUAGES",
    "MAX_STEPS",
    "MAX_STEP_MINUTES",
    "METHODS",
    "ROLES",
    "STEP_TYPES",
    "AgendaStep",
    "Guide",
    "GuideError",
    "MeetingType",
    "Phase",
    "PreviousCommitment",
    "Step",
    "Text",
    "TextList",
    "generate_agenda",
    "load_guide_file",
    "load_guides",
    "next_phase",
    "parse_guide",
]
