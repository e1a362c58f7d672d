"""Forms of the insights app. They parse and label; the services validate and write."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollegium.insights.models import PromiseUnit
from kollegium.insights.periods import (
    AUTUMN,
    Period,
    custom_period,
    parse_term_key,
    recent_terms,
)
from kollegium.organisations.models import Organisation, Team


def term_label(period: Period) -> str:
    if period.kind == AUTUMN:
        return str(_("Autumn term %(year)s")) % {"year": period.start.year}
    return str(_("Spring term %(year)s")) % {"year": period.start.year}


class PromiseForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("For"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("Everyone at the school"),
        help_text=_("A team's own promise replaces the school's for the people in that team."),
    )
    minutes = forms.IntegerField(label=_("Number of minutes"), min_value=1, max_value=100000)
    unit = forms.ChoiceField(label=_("Per"), choices=PromiseUnit.choices, initial=PromiseUnit.WEEK)

    def __init__(self, *args: Any, school: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        assert isinstance(team, forms.ModelChoiceField)
        team.queryset = Team.objects.filter(school=school).order_by("name", "pk")


class PeriodForm(forms.Form):
    """The period a page covers: a term of the school year, or dates chosen by hand."""

    term = forms.ChoiceField(label=_("Term"), required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        term = self.fields["term"]
        assert isinstance(term, forms.ChoiceField)
        term.choices = [("", _("Dates below"))] + [
            (p.key, term_label(p)) for p in recent_terms(self.today, 6)
        ]
        term.initial = recent_terms(self.today, 1)[0].key

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start or end:
            if not (start and end):
                raise forms.ValidationError(_("Give both the first and the last day."))
            try:
                data["period"] = custom_period(start, end)
            except ValueError as error:
                if str(error) == "ends_before_start":
                    self.add_error("end", _("The last day must not be before the first."))
                else:
                    self.add_error("end", _("A period may be at most two school years long."))
        else:
            period = parse_term_key(data.get("term") or "")
            data["period"] = period or recent_terms(self.today, 1)[0]
        return data

    def period(self) -> Period:
        """The chosen period, or the current term when the choice was invalid."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["period"]
        return recent_terms(self.today, 1)[0]

    def query(self) -> str:
        """The period as a query string for links (CSV, report), or "" for the current term."""
        period = self.period()
        if period.kind == "custom":
            return f"?start={period.start.isoformat()}&end={period.end.isoformat()}"
        return f"?term={period.key}"
