"""Forms of the scheduling pages. Validation of meaning lives in the services."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kollegium.core import widgets

from .models import EntryKind, Weekday

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _today() -> date:
    return timezone.localdate()


class IcsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("iCalendar file (.ics)"),
        help_text=_("Export your timetable as an .ics file from your timetable system."),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "First line: weekday,start,end,subject,group,room,weeks. One weekly lesson per line."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    first_date = forms.DateField(label=_("First date"), widget=DATE)
    last_date = forms.DateField(label=_("Last date"), widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_date"].initial = _today()
        self.fields["last_date"].initial = _today() + timedelta(weeks=20)


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label=_("Subscription address"),
        max_length=1000,
        help_text=_("The iCalendar subscription address (https:// or webcal://)."),
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off"}),
    )


class ManualEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=EntryKind.choices, initial=EntryKind.LESSON)
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME)
    subject = forms.CharField(label=_("Subject or title"), max_length=100, required=False)
    group_name = forms.CharField(label=_("Group"), max_length=100, required=False)
    room = forms.CharField(label=_("Room"), max_length=100, required=False)
    first_date = forms.DateField(label=_("Every week from"), widget=DATE)
    last_date = forms.DateField(label=_("Until"), widget=DATE)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_date"].initial = _today()
        self.fields["last_date"].initial = _today() + timedelta(weeks=20)


class FreeTimeForm(forms.Form):
    group = forms.TypedChoiceField(
        label=_("A group you facilitate"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Its members are added, and you can make a suggested time its next meeting."),
    )
    team = forms.TypedChoiceField(
        label=_("A whole team"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Everyone in the team is added to the people you tick."),
    )
    people = forms.TypedMultipleChoiceField(
        label=pgettext_lazy("free-time finder", "People"),
        coerce=int,
        widget=widgets.CheckboxSelectMultiple,
        required=False,
    )
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)
    min_minutes = forms.TypedChoiceField(
        label=_("At least"),
        coerce=int,
        initial=60,
        choices=[
            (30, _("30 minutes")),
            (45, _("45 minutes")),
            (60, _("1 hour")),
            (90, _("1.5 hours")),
            (120, _("2 hours")),
        ],
    )
    day_start = forms.TimeField(label=_("School day starts"), widget=TIME, initial=time(8))
    day_end = forms.TimeField(label=_("School day ends"), widget=TIME, initial=time(17))

    def __init__(
        self, *args, people_choices=(), team_choices=(), group_choices=(), **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        people: Any = self.fields["people"]
        people.choices = list(people_choices)
        team: Any = self.fields["team"]
        team.choices = [("", _("No team")), *team_choices]
        group: Any = self.fields["group"]
        group.choices = [("", _("No group")), *group_choices]
        if not group_choices:
            del self.fields["group"]
        self.fields["start"].initial = _today()
        self.fields["end"].initial = _today() + timedelta(days=13)

    def clean(self):
        data = super().clean()
        if not data.get("people") and not data.get("team") and not data.get("group"):
            self.add_error("people", _("Choose at least one person, a team or a group."))
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end date must not be before the start date."))
            elif (end - start).days > 120:
                self.add_error("end", _("Choose a period of at most 120 days."))
        day_start, day_end = data.get("day_start"), data.get("day_end")
        if day_start and day_end and day_end <= day_start:
            self.add_error("day_end", _("The school day must end after it starts."))
        return data


class SlotMeetingForm(forms.Form):
    """A suggested time made into a group's meeting (hidden fields and the place)."""

    group_key = forms.IntegerField(min_value=1)
    starts_at = forms.DateTimeField()
    minutes = forms.IntegerField(min_value=10, max_value=480)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_url = forms.CharField(label=_("Video link"), max_length=500, required=False)


class DedicatedTimeForm(forms.Form):
    title = forms.CharField(label=_("Name"), max_length=200, initial=_("Collegial learning"))
    weekday = forms.TypedChoiceField(label=_("Weekday"), choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME)
    first_date = forms.DateField(label=_("From"), widget=DATE)
    last_date = forms.DateField(label=_("Until"), widget=DATE)
    every_weeks = forms.TypedChoiceField(
        label=_("How often"),
        coerce=int,
        initial=1,
        choices=[(1, _("Every week")), (2, _("Every other week")), (4, _("Every fourth week"))],
    )
