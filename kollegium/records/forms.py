from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class AuditFilterForm(forms.Form):
    """Who, what and when: the audit log's filters (read from the query string)."""

    who = forms.CharField(
        label=_("Who"),
        required=False,
        max_length=100,
        help_text=_("Part of a name or email address."),
    )
    action = forms.ChoiceField(label=_("What"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, actions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Everything")), *actions]  # type: ignore[attr-defined]

    def clean_who(self) -> str:
        return str(self.cleaned_data.get("who") or "").strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "who": data.get("who") or "",
            "action": data.get("action") or "",
            "since": data.get("since"),
            "until": data.get("until"),
        }


class RecordsRequestForm(forms.Form):
    """Which official records: a period, and the whole school or one group."""

    group = forms.TypedChoiceField(label=_("Group"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(label=_("From"), widget=DateInput())
    until = forms.DateField(label=_("To"), widget=DateInput())

    def __init__(self, *args: Any, groups: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("The whole school")), *groups]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data


class AccessibilityReportForm(forms.Form):
    page = forms.CharField(
        label=_("Which page or part of Kollegium?"),
        required=False,
        max_length=500,
        help_text=_("An address, or a few words such as “the meeting timer”."),
    )
    message = forms.CharField(
        label=_("What is the problem?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What you tried to do, what happened, and what you use (screen reader, "
            "keyboard, zoom, phone) if you like."
        ),
    )
