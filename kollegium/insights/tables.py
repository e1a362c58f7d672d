"""The figures of the insights pages as tables: the same rows feed the HTML table under each
chart, the chart itself and its CSV export, so the three never disagree."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kollegium.insights import charts, figures
from kollegium.insights.selectors import OwnerRow, SchoolInsights

TOO_FEW = "too_few"


def hours(minutes: float | None) -> str:
    if minutes is None:
        return ""
    return number_format(round(minutes / 60, 1), decimal_pos=1)


def percent(share: figures.Share | None) -> str:
    return "" if share is None else f"{share.percent} %"


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[str]]
    chart: charts.Chart | None = None
    chart_title: str = ""
    notes: list[str] = field(default_factory=list)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(self.headers)
        for row in self.rows:
            writer.writerow([_csv_cell(cell) for cell in row])
        return out.getvalue()


def _csv_cell(value: str) -> str:
    # A cell a spreadsheet would run as a formula is quoted as text.
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _too_few() -> str:
    return _("too few to show")


def band_labels() -> list[str]:
    labels = []
    for low, high in figures.BANDS:
        if high is None:
            labels.append(_("%(low)s %% or more") % {"low": low})
        else:
            labels.append(_("%(low)s–%(high)s %%") % {"low": low, "high": high})
    return labels


def time_table(data: SchoolInsights) -> Table:
    dist = data.time.school.dist
    labels = band_labels()
    rows = [[label, str(dist.bands[i]) if dist else _too_few()] for i, label in enumerate(labels)]
    chart = None
    if dist is not None:
        chart = charts.bar_chart(
            [(label, dist.bands[i], str(dist.bands[i])) for i, label in enumerate(labels)]
        )
    return Table(
        key="time",
        title=_("Time held as a share of the promise"),
        headers=[_("Share of the promise held"), _("People")],
        rows=rows,
        chart=chart,
        chart_title=_("People by how much of the promised time they have held so far"),
    )


def teams_table(data: SchoolInsights) -> Table:
    headers = [
        _("Team"),
        _("People"),
        _("Promised so far (hours)"),
        _("Median held (hours)"),
        _("Middle half held (hours)"),
        _("Below half of the promise"),
    ]
    rows = []
    chart_rows: list[tuple[str, float, str]] = []
    for row in [data.time.school, *data.time.teams]:
        dist = row.dist
        if dist is None:
            rows.append([row.label, str(row.people), _too_few(), "", "", ""])
            continue
        rows.append(
            [
                row.label,
                str(dist.people),
                hours(dist.promised),
                hours(dist.median),
                f"{hours(dist.lower_quartile)}–{hours(dist.upper_quartile)}",
                str(dist.below_half),
            ]
        )
        chart_rows.append((row.label, dist.median / 60, hours(dist.median) + " h"))
    school_dist = data.time.school.dist
    marker = school_dist.promised / 60 if school_dist and school_dist.promised else None
    chart = (
        charts.bar_chart(chart_rows, marker=marker, marker_text=_("promised"))
        if chart_rows
        else None
    )
    return Table(
        key="teams",
        title=_("Promised and held, per team"),
        headers=headers,
        rows=rows,
        chart=chart,
        chart_title=_("Median hours held per team; the line is the school's promise so far"),
    )


def load_table(data: SchoolInsights) -> Table:
    labels = ["0", "1", "2", "3", _("4 or more")]
    counts = data.load.counts
    rows = [[label, str(counts[i]) if counts else _too_few()] for i, label in enumerate(labels)]
    chart = (
        charts.bar_chart([(lab, counts[i], str(counts[i])) for i, lab in enumerate(labels)])
        if counts
        else None
    )
    return Table(
        key="load",
        title=_("Groups and rounds at once"),
        headers=[_("Groups and observation rounds at once"), _("People")],
        rows=rows,
        chart=chart,
        chart_title=_("People by how many groups and observation rounds they are in right now"),
    )


def focus_table(data: SchoolInsights) -> Table:
    headers = [
        _("Development focus"),
        _("Groups"),
        _("Commitments tried"),
        _("Worked"),
        _("Partly worked"),
        _("Did not work"),
        _("Not tried yet"),
        _("Not followed up yet"),
        _("Proven-practice conclusions"),
        _("Published conclusions"),
        _("Library items"),
    ]
    rows = []
    for row in data.focus:
        if row.outcomes is None:
            counts = [_too_few(), "", "", "", "", ""]
        else:
            counts = [str(row.commitments)] + [
                str(row.outcomes[k])
                for k in ("worked", "partly", "did_not_work", "not_tried", "open")
            ]
        rows.append(
            [
                row.focus.title,
                str(len(row.groups)),
                *counts,
                str(row.conclusions),
                str(len(row.published)),
                str(row.library_items),
            ]
        )
    return Table(key="focus", title=_("The focus chain"), headers=headers, rows=rows)


def lasting_table(data: SchoolInsights) -> Table:
    headers = [_("Group"), _("Ended"), _("Members")] + [
        _("Still meeting after %(months)s months") % {"months": m} for m in (6, 12, 18)
    ]
    rows = []
    for row in data.groups:
        if row.status != "ended":
            continue
        cells = []
        for _mark, share, due in row.lasting:
            if not due:
                cells.append(_("not yet"))
            elif share is None:
                cells.append(_too_few())
            else:
                cells.append(percent(share))
        rows.append([row.group.name, row.group.ends_on.isoformat(), str(row.members), *cells])
    return Table(key="lasting", title=_("Does it last?"), headers=headers, rows=rows)


def equity_tables(data: SchoolInsights) -> list[Table]:
    titles = {"team": _("Team"), "subject": _("Subject"), "stage": _("Stage")}
    out = []
    for table in data.equity:
        rows = []
        for row in table.rows:
            if row.took_part is None:
                rows.append([row.label, str(row.people), _too_few(), "", ""])
            else:
                rows.append(
                    [
                        row.label,
                        str(row.people),
                        percent(row.took_part),
                        percent(row.tried),
                        percent(row.observed),
                    ]
                )
        notes = []
        spreads = (table.spread_took_part, table.spread_tried, table.spread_observed)
        if any(s is not None for s in spreads):
            notes.append(
                _(
                    "Spread between the highest and lowest: took part %(a)s, tried a practice "
                    "%(b)s, observed %(c)s percentage points."
                )
                % {"a": _dash(spreads[0]), "b": _dash(spreads[1]), "c": _dash(spreads[2])}
            )
        out.append(
            Table(
                key=f"equity_{table.title_key}",
                title=_("Equity per %(what)s") % {"what": titles[table.title_key].lower()},
                headers=[
                    titles[table.title_key],
                    _("People"),
                    _("Took part"),
                    _("Tried a practice from a focus"),
                    _("Were observed"),
                ],
                rows=rows,
                notes=notes,
            )
        )
    return out


def _dash(value: int | None) -> str:
    return "–" if value is None else str(value)


def school_tables(data: SchoolInsights) -> dict[str, Table]:
    tables = [
        time_table(data),
        teams_table(data),
        load_table(data),
        focus_table(data),
        lasting_table(data),
        *equity_tables(data),
    ]
    return {t.key: t for t in tables}


def owner_table(rows: Sequence[OwnerRow]) -> Table:
    headers = [
        _("School"),
        _("People"),
        _("Promised so far (hours)"),
        _("Median held (hours)"),
        _("Middle half held (hours)"),
        _("Below half of the promise"),
    ]
    out = []
    chart_rows: list[tuple[str, float, str]] = []
    for row in rows:
        dist = row.dist
        name = row.school.display_name
        if dist is None:
            out.append([name, str(row.people), _too_few(), "", "", ""])
            continue
        out.append(
            [
                name,
                str(dist.people),
                hours(dist.promised) if dist.promised else _("no promise"),
                hours(dist.median),
                f"{hours(dist.lower_quartile)}–{hours(dist.upper_quartile)}",
                f"{dist.below_half} ({dist.below_half_percent} %)",
            ]
        )
        chart_rows.append((name, dist.median / 60, hours(dist.median) + " h"))
    chart = charts.bar_chart(chart_rows[:40]) if chart_rows else None
    return Table(
        key="owner",
        title=_("Promised and held, per school"),
        headers=headers,
        rows=out,
        chart=chart,
        chart_title=_("Median hours held per school (the first 40 schools shown)"),
    )
