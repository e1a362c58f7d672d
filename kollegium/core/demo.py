"""The demo data that `make run` loads, and the hook each app fills.

Each app may have `kollegium/<app>/demo.py` with `load_demo(demo: DemoData) -> None`. It is
called once, after the foundation's people and schools exist, in INSTALLED_APPS order.
"""

from dataclasses import dataclass, field
from typing import Any

DEMO_PASSWORD = "kollegium-demo"  # noqa: S105 — printed for people trying the demo; never production


@dataclass
class DemoData:
    owner: Any
    school_a: Any
    school_b: Any
    network: Any
    # alice (leader A), bob (teacher A), carol (facilitator A), dave (teacher B), and colleagues.
    people: dict[str, Any] = field(default_factory=dict)
    teams: dict[str, Any] = field(default_factory=dict)
    focus_areas: list[Any] = field(default_factory=list)

    def teachers_at(self, school: Any) -> list[Any]:
        return [p for p in self.people.values() if getattr(p, "_demo_school", None) == school]
