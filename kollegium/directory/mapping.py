"""The default mapping of duty roles and group types (data/mapping.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kollegium.directory.core.plan import ROLE_RANK, RoleMapping

DATA = Path(__file__).parent / "data" / "mapping.yaml"
#: SS 12000's DutyRole values (Code_DutyRole in the specification).
DUTY_ROLES = (
    "Rektor",
    "Lärare",
    "Förskollärare",
    "Barnskötare",
    "Bibliotekarie",
    "Lärarassistent",
    "Fritidspedagog",
    "Annan personal",
    "Studie- och yrkesvägledare",
    "Förstelärare",
    "Kurator",
    "Skolsköterska",
    "Skolläkare",
    "Skolpsykolog",
    "Speciallärare/specialpedagog",
    "Skoladministratör",
    "Övrig arbetsledning",
    "Övrig pedagogisk personal",
    "Förskolechef",
)
GROUP_TYPES = (
    "Undervisning",
    "Klass",
    "Mentor",
    "Provgrupp",
    "Schema",
    "Avdelning",
    "Personalgrupp",
    "Övrigt",
)
#: Roles a duty may give (an administrator is only ever set by hand).
SYNC_ROLES = tuple(role for role in ROLE_RANK if role != "administrator")


@cache
def load_default_mapping() -> dict[str, Any]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    unknown = set(data["roles"]) - set(DUTY_ROLES)
    if unknown:
        raise ValueError(f"mapping.yaml names duty roles SS 12000 does not have: {unknown}")
    bad = {role for role in data["roles"].values() if role and role not in SYNC_ROLES}
    if bad:
        raise ValueError(f"mapping.yaml maps to roles Kollegium does not have: {bad}")
    return data


def role_mapping_of(source: Any) -> RoleMapping:
    roles = {
        duty: role
        for duty, role in (source.role_mapping or {}).items()
        if duty in DUTY_ROLES and role in SYNC_ROLES
    }
    types = frozenset(t for t in (source.team_group_types or []) if t in GROUP_TYPES)
    return RoleMapping(roles=roles, team_group_types=types)
