"""Forms for learning groups. They parse input; the services validate and write."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kollegium.accounts.models import User
from kollegium.core import widgets
from kollegium.groups.models import Commitment, MinutesSharing


def _set_choices(form: forms.Form, name: str, choices: Any) -> None:
    form.fields[name].choices = choices  # type: ignore[attr-defined]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=200)
    guide = forms.ChoiceField(
        label=_("Method"),
        help_text=_("The method guide gives every meeting its agenda. You can adapt guides."),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the group wants to achieve for the pupils."),
    )
    focus = forms.TypedChoiceField(
        label=_("Development focus"), required=False, coerce=int, empty_value=None
    )
    network = forms.TypedChoiceField(
        label=_("Network (for a group across schools)"),
        required=False,
        coerce=int,
        empty_value=None,
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Members"),
        required=False,
        coerce=int,
        widget=widgets.CheckboxSelectMultiple,
        help_text=_("You become the group's facilitator."),
    )
    other_members = forms.CharField(
        label=_("Members from other schools in the network"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Their email addresses, one per line. Choose the network above."),
    )
    starts_on = forms.DateField(label=_("Runs from"), widget=DateInput())
    ends_on = forms.DateField(label=_("Runs until"), widget=DateInput())
    interval_days = forms.IntegerField(
        label=_("Days between meetings"),
        required=False,
        min_value=1,
        max_value=366,
        help_text=_("Leave empty to use the method's recommended cadence."),
    )
    minutes_sharing = forms.ChoiceField(
        label=_("Who may read the minutes"),
        choices=MinutesSharing.choices,
        initial=MinutesSharing.MEMBERS,
        widget=forms.RadioSelect,
    )

    def __init__(
        self,
        *args: Any,
        guides: list[tuple[str, str]],
        focus_areas: list[tuple[int, str]],
        networks: list[tuple[int, str]],
        people: list[tuple[int, str]],
        with_guide: bool = True,
        across_schools: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "guide", guides)
        _set_choices(self, "focus", [("", _("(none)")), *focus_areas])
        _set_choices(self, "network", [("", _("(only my school)")), *networks])
        _set_choices(self, "members", people)
        if not with_guide:
            # Editing a running group: its facilitator is already chosen, and its network
            # (or none) was set when it began; the form says nothing of either.
            del self.fields["guide"]
            del self.fields["network"]
            self.fields["members"].help_text = _("Untick a person to take them out of the group.")
            if across_schools:
                self.fields["other_members"].help_text = _(
                    "Their email addresses, one per line: people at the group's other schools."
                )
            else:
                del self.fields["other_members"]

    def clean_other_members(self) -> list[int]:
        emails = {line.strip().lower() for line in self.cleaned_data["other_members"].split()}
        emails.discard("")
        if len(emails) > 60:
            raise forms.ValidationError(_("At most 60 addresses."))
        found = dict(
            User.objects.filter(email__in=emails, is_active=True).values_list("email", "pk")
        )
        unknown = sorted(emails - {email.lower() for email in found})
        if unknown:
            raise forms.ValidationError(
                _("Nobody on Kollegium has these addresses: %(emails)s")
                % {"emails": ", ".join(unknown)}
            )
        return sorted(found.values())


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    time = forms.TimeField(label=_("Starts at"), widget=TimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        required=False,
        min_value=10,
        max_value=480,
        help_text=_("Leave empty to use the agenda's length."),
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("For online meetings, e.g. a Teams, Meet or Zoom link."),
    )
    phase_key = forms.ChoiceField(label=_("Phase of the method"), required=False)

    def __init__(self, *args: Any, phases: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "phase_key", phases)

    def starts_at(self) -> datetime | None:
        day, time = self.cleaned_data.get("date"), self.cleaned_data.get("time")
        if day is None or time is None:
            return None
        return timezone.make_aware(datetime.combine(day, time))


class NotesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Shared by the group. Write what was discussed, not who said what."),
    )
    decisions = forms.CharField(
        label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The version of the minutes the person started from (the conflict check's token).
    version = forms.CharField(required=False, strip=True, widget=forms.HiddenInput)

    def base_revision(self) -> int | None:
        """The token as a version number, or None if it is missing or not a number."""
        raw = (self.cleaned_data.get("version") or "").strip()
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label=_("Present"), required=False, coerce=int, widget=widgets.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "present", people)


def default_due_date(meeting_start: datetime, interval_days: int) -> str:
    day = timezone.localdate(meeting_start) + timedelta(days=max(1, interval_days - 3))
    return day.isoformat()


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label=_("I will try …"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What, in which class. Small and concrete."),
    )
    due_on = forms.DateField(label=_("… before"), required=False, widget=DateInput())


class ReflectionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("What happened?"), choices=Commitment.Outcome.choices, widget=forms.RadioSelect
    )
    reflection = forms.CharField(
        label=_("Reflection"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A few sentences. What you learned counts as much as what worked."),
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    url = forms.CharField(label=_("Link"), max_length=500, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConclusionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    tried = forms.CharField(
        label=_("What we tried"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "What you saw, measured or collected: pupils' work, test results, observations."
        ),
    )
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class LessonVersionForm(forms.Form):
    label = forms.CharField(label=_("Lesson version"), max_length=8, required=False)
    taught_on = forms.DateField(label=_("Taught on"), required=False, widget=DateInput())
    notes = forms.CharField(
        label=_("What changed in this version"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TestResultForm(forms.Form):
    lesson = forms.TypedChoiceField(label=_("Lesson version"), coerce=int)
    item = forms.CharField(label=_("Test item"), max_length=120, required=False)
    pre_percent = forms.IntegerField(
        label=_("Pre-test: percent correct"), min_value=0, max_value=100
    )
    pre_pupils = forms.IntegerField(
        label=_("Pre-test: number of pupils"), min_value=1, max_value=1000
    )
    post_percent = forms.IntegerField(
        label=_("Post-test: percent correct"), min_value=0, max_value=100
    )
    post_pupils = forms.IntegerField(
        label=_("Post-test: number of pupils"), min_value=1, max_value=1000
    )

    def __init__(self, *args: Any, lessons: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set_choices(self, "lesson", lessons)


class GuideAdaptForm(forms.Form):
    source = forms.CharField(
        label=_("The guide (YAML)"),
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
        help_text=_(
            "Change texts, time boxes, steps or phases. The guide is checked when you save; "
            "groups already running keep the version they started with."
        ),
    )


class SlotSelect(forms.RadioSelect):
    """Radio buttons for talk slots; a full slot is shown but cannot be chosen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.disabled_values: set[str] = set()

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if str(option["value"]) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


def slot_label(slot: Any, *, own: bool = False) -> str:
    """ "Nano talks (2 minutes) · 7 of 10 places left" (or "full")."""
    state: Any
    if own:
        state = _("your talk is here")
    elif slot.is_full:
        state = _("full")
    else:
        state = _("%(free)s of %(capacity)s places left") % {
            "free": slot.free,
            "capacity": slot.capacity,
        }
    return f"{slot.title} · {state}"


class TalkForm(forms.Form):
    """Sign up for a talk, or change it. The service checks the limits and lengths."""

    step_key = forms.ChoiceField(label=_("Talk slot"), widget=SlotSelect)
    title = forms.CharField(
        label=_("Title of your talk"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 120, "autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Description in one line"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200, "autocomplete": "off"}),
        help_text=_("What colleagues will hear about, and what they can try in class."),
    )

    def __init__(self, *args: Any, slots: list[Any], current: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["step_key"]
        _set_choices(
            self, "step_key", [(s.key, slot_label(s, own=s.key == current)) for s in slots]
        )
        widget = field.widget
        assert isinstance(widget, SlotSelect)
        widget.disabled_values = {s.key for s in slots if s.is_full and s.key != current}
        if "step_key" not in self.initial:
            open_slots = [s.key for s in slots if not s.is_full]
            if open_slots:
                self.initial["step_key"] = open_slots[0]


class TalkRemoveForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the speaker (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )


class TimerRunForm(forms.Form):
    running = forms.TypedChoiceField(
        label=_("Timer"), choices=[("1", _("Start")), ("0", _("Pause"))], coerce=lambda v: v == "1"
    )


class TimerStepForm(forms.Form):
    step = forms.IntegerField(label=_("Step"), min_value=0, max_value=999)
