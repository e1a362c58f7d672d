"""Time-zone names as calendar programs write them, and VTIMEZONE definitions checked against
the real zones.

- IANA names (``Europe/Stockholm``), also as "globally unique" ids (``/vendor/Europe/Stockholm``);
- Windows names (``W. Europe Standard Time``) through CLDR's windowsZones table, which the
  icalendar package ships (``icalendar.timezone.windows_to_olson``);
- Outlook's display names (``"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"``)
  through ``data/outlook_time_zones.yaml`` (display name -> Windows name).

No Django here: plain functions, tested without a database.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import yaml
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

DATA = Path(__file__).resolve().parent.parent / "data" / "outlook_time_zones.yaml"
_OFFSET_PREFIX = re.compile(r"^\(\s*(?:gmt|utc)\s*([+-])\s*(\d{1,2})[.:](\d{2})\s*\)")
_BARE_PREFIX = re.compile(r"^\(\s*(?:gmt|utc)\s*\)")
_SEPARATORS = re.compile(r"\s*[/,]\s*")
_SPACES = re.compile(r"\s+")
# Atlantic zones that belong to European countries (Iceland, Portugal, Spain, Denmark).
EUROPEAN_ATLANTIC = frozenset(
    {"Atlantic/Reykjavik", "Atlantic/Azores", "Atlantic/Madeira", "Atlantic/Canary",
     "Atlantic/Faroe"}
)  # fmt: skip


def is_european(zone: str) -> bool:
    return zone.startswith("Europe/") or zone in EUROPEAN_ATLANTIC


def normalise_display_name(name: str) -> str:
    """ "(GMT+01.00) Amsterdam / Berlin" and "(UTC+01:00) amsterdam, berlin" read alike."""
    text = name.strip().strip('"').strip().casefold()
    match = _OFFSET_PREFIX.match(text)
    if match:
        sign, hours, minutes = match.groups()
        text = f"(utc{sign}{int(hours):02d}:{minutes})" + text[match.end() :]
    elif _BARE_PREFIX.match(text):
        text = "(utc+00:00)" + text[_BARE_PREFIX.match(text).end() :]  # type: ignore[union-attr]
    text = text.replace("greenwich mean time : ", "")
    text = _SEPARATORS.sub(", ", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


@lru_cache(maxsize=1)
def outlook_display_names() -> dict[str, str]:
    """Normalised Outlook display name -> Windows zone name (from the data file)."""
    with DATA.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    out: dict[str, str] = {}
    for windows_name, names in data.items():
        for name in names:
            out[normalise_display_name(name)] = windows_name
    return out


@lru_cache(maxsize=512)
def iana_name(tzid: str) -> str | None:
    """The IANA zone a TZID means, or None when the name alone does not say."""
    name = tzid.strip().strip('"').strip()
    if not name:
        return None
    if name in known_zones():
        return name
    if name in WINDOWS_TO_OLSON:
        return _known(WINDOWS_TO_OLSON[name])
    windows = outlook_display_names().get(normalise_display_name(name))
    if windows is not None:
        return _known(WINDOWS_TO_OLSON.get(windows, ""))
    if name.startswith("/"):  # "globally unique" ids: /freeassociation.sourceforge.net/Europe/Oslo
        parts = [p for p in name.split("/") if p]
        for start in range(len(parts)):
            candidate = "/".join(parts[start:])
            if candidate in known_zones():
                return candidate
    return None


def _known(zone: str) -> str | None:
    return zone if zone in known_zones() else None


def transitions(zone: str, start: datetime, end: datetime) -> list[datetime]:
    """The instants in the period when the IANA zone's offset changes (to the hour)."""
    tz = ZoneInfo(zone)
    out = []
    moment = start
    offset = moment.astimezone(tz).utcoffset()
    while moment < end:
        later = moment + timedelta(days=1)
        if later.astimezone(tz).utcoffset() != offset:
            hour = moment
            while hour.astimezone(tz).utcoffset() == offset:
                hour += timedelta(hours=1)
            out.append(hour)
            offset = later.astimezone(tz).utcoffset()
        moment = later
    return out


def samples(start: datetime, end: datetime, zone: str) -> list[datetime]:
    """Instants that tell two zones apart in the period: the middle of every month, and
    around each change of ``zone`` (an hour, a day and a week either side), where a zone with
    other rules for summer time differs."""
    out = set()
    moment = start
    while moment < end:
        out.add(moment)
        moment += timedelta(days=15)
    for change in transitions(zone, start, end):
        for step in (timedelta(hours=1), timedelta(days=1), timedelta(days=7)):
            out.update({change - step, change + step})
    return sorted(t for t in out if start <= t < end)


def offsets(zone: tzinfo, instants: list[datetime]) -> list[timedelta | None]:
    return [t.astimezone(zone).utcoffset() for t in instants]


def same_offsets(a: tzinfo, b: tzinfo, instants: list[datetime]) -> bool:
    """Whether two zones give the same UTC offset at every instant."""
    return offsets(a, instants) == offsets(b, instants)


def matching_zone(custom: tzinfo, instants: list[datetime], prefer: str) -> str | None:
    """An IANA zone with the same offsets as ``custom`` at the instants, ``prefer`` first,
    then European zones, then the rest (in name order, so the answer is stable)."""
    zones = known_zones()
    wanted = offsets(custom, instants)  # once: a zone read from a file is slow to ask
    ordered = [prefer, *sorted(z for z in zones if is_european(z) and z != prefer)]
    ordered += sorted(z for z in zones if not is_european(z) and z != prefer and "/" in z)
    for zone in ordered:
        if zone in zones and offsets(ZoneInfo(zone), instants) == wanted:
            return zone
    return None
