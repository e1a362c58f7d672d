"""Forms of the observations app. They parse and label; the services validate and write."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kollegium.core import widgets
from kollegium.core.schoolyear import next_school_period
from kollegium.observations.guides import FeedbackForm as GuideForm
from kollegium.observations.guides import load_guides
from kollegium.observations.models import ObservationRound, SubjectMode
from kollegium.organisations.models import Network


def aware(day: date, at: time) -> datetime:
    """A local date and time at the school (Europe/Stockholm by default), made aware."""
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def focus_choices() -> list[tuple[str, str]]:
    lang = get_language()
    return [(a.key, a.title.get(lang)) for a in load_guides().focus_areas]


def form_choices() -> list[tuple[str, str]]:
    lang = get_language()
    return [(f.key, f"{f.title.get(lang)}: {f.summary.get(lang)}") for f in load_guides().forms]


class _TimeRangeMixin:
    cleaned_data: dict[str, Any]

    def time_range(self) -> tuple[datetime, datetime] | None:
        day, start, end = (self.cleaned_data.get(k) for k in ("day", "start_time", "end_time"))
        if not (day and start and end):
            return None
        return aware(day, start), aware(day, end)


class ObservationRequestForm(_TimeRangeMixin, forms.Form):
    observer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        label=_("Colleague who observes"),
        empty_label=_("Choose a colleague"),
        widget=widgets.Select,
    )
    lesson = forms.ChoiceField(
        label=_("One of my lessons"),
        required=False,
        widget=widgets.Select,
        help_text=_("From your timetable. Or give a date and time below."),
    )
    day = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    start_time = forms.TimeField(
        label=_("Starts"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Ends"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    lesson_label = forms.CharField(
        label=_("Lesson"),
        required=False,
        max_length=200,
        help_text=_("For example: Mathematics 8B, room 204."),
    )
    focus_key = forms.ChoiceField(
        label=_("Focus: what should your colleague look for?"), widget=forms.RadioSelect
    )
    focus_detail = forms.CharField(
        label=_("Anything in particular? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    form_key = forms.ChoiceField(label=_("Feedback form"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, colleagues: Any, lessons: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lessons = {lesson.ref: lesson for lesson in lessons}
        self.fields["observer"].queryset = colleagues  # type: ignore[attr-defined]
        _choice(self, "lesson").choices = [("", _("Choose a lesson (or give a time below)"))] + [
            (lesson.ref, lesson.choice_label) for lesson in lessons
        ]
        _choice(self, "focus_key").choices = focus_choices()
        _choice(self, "form_key").choices = form_choices()
        self.fields["form_key"].initial = "stars_and_wish"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lesson"):
            lesson = self.lessons.get(data["lesson"])
            if lesson is None:
                self.add_error("lesson", _("Choose one of your lessons."))
            else:
                data["start"], data["end"] = lesson.start, lesson.end
                data["lesson_label"] = data.get("lesson_label") or lesson.label
            return data
        span = self.time_range()
        if span is None:
            self.add_error("day", _("Choose one of your lessons, or give a date and times."))
        else:
            data["start"], data["end"] = span
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RescheduleForm(_TimeRangeMixin, forms.Form):
    day = forms.DateField(label=_("New date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    lesson_label = forms.CharField(label=_("Lesson"), required=False, max_length=200)


class FocusForm(forms.Form):
    focus_key = forms.ChoiceField(label=_("Focus"), widget=forms.RadioSelect)
    focus_detail = forms.CharField(
        label=_("Anything in particular? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    form_key = forms.ChoiceField(label=_("Feedback form"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "focus_key").choices = focus_choices()
        _choice(self, "form_key").choices = form_choices()


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("New note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=_("Only about the chosen focus. The time is added for you."),
    )


class FeedbackAnswersForm(forms.Form):
    """One text field per field of the agreed feedback form (from the guide data file)."""

    def __init__(self, *args: Any, guide_form: GuideForm, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lang = get_language()
        for field in guide_form.fields:
            self.fields[field.key] = forms.CharField(
                label=field.label.get(lang),
                help_text=field.prompt.get(lang),
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )


class DebriefForm(_TimeRangeMixin, forms.Form):
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))


class ShareForm(forms.Form):
    body = forms.CharField(
        label=_("What I learnt, in my own words"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only this text is shared. Notes and feedback stay between the two of you."),
    )
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Share with"), empty_label=_("Everyone at my school")
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class RoundForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    team: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Team"),
        empty_label=_("No team: choose people below"),
        help_text=_("Everyone in the team takes part, together with anyone you tick below."),
    )
    participants: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=_("Participants"),
        widget=widgets.CheckboxSelectMultiple,
    )
    first_day = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    k = forms.IntegerField(
        label=_("Observations per person"),
        min_value=1,
        max_value=5,
        initial=1,
        help_text=_("Each teacher observes this many colleagues and is observed this many times."),
    )
    subject_mode = forms.ChoiceField(
        label=_("Subjects"), choices=SubjectMode.choices, initial=SubjectMode.MIXED
    )
    previous_round: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("No pair repeated from"),
        empty_label=_("No earlier round"),
    )
    max_per_day = forms.IntegerField(
        label=_("At most per person and day"), min_value=1, max_value=3, initial=1
    )
    require_observer_free = forms.BooleanField(
        label=_("The observer must be free during the lesson"), required=False, initial=True
    )
    network: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Across a network"),
        empty_label=_("This school only"),
        help_text=_(
            "Instructional rounds between schools: observers visit colleagues at the "
            "network's schools when their timetables allow the journey."
        ),
    )
    whole_network = forms.BooleanField(
        label=_("Everyone at the network's schools takes part"), required=False
    )
    travel_minutes = forms.IntegerField(
        label=_("Travel time between schools (minutes)"),
        min_value=0,
        max_value=180,
        initial=30,
        required=False,
        help_text=_("An observer visiting another school must be free this long before and after."),
    )
    other_schools_only = forms.BooleanField(
        label=_("Observers visit other schools only"), required=False, initial=True
    )

    def __init__(self, *args: Any, school: Any, teams: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.filter(  # type: ignore[attr-defined]
            network_memberships__school=school
        ).order_by("name")
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]
        self.fields["participants"].queryset = people  # type: ignore[attr-defined]
        self.fields["previous_round"].queryset = (  # type: ignore[attr-defined]
            ObservationRound.objects.filter(school=school).order_by("-first_day")
        )
        # Two school weeks from a Monday, outside the usual breaks (not 14-25 December).
        first, last = next_school_period(timezone.localdate(), days=12)
        self.fields["first_day"].initial = first
        self.fields["last_day"].initial = last

    def chosen_people(self) -> list[Any]:
        people = {p.pk: p for p in self.cleaned_data.get("participants") or []}
        team = self.cleaned_data.get("team")
        if team is not None:
            for member in team.members.all():
                people.setdefault(member.pk, member)
        return list(people.values())


class PairAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PairMoveForm(forms.Form):
    lesson_ref = forms.ChoiceField(label=_("Another lesson"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, options: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "lesson_ref").choices = [(o.lesson_ref, o.choice_label) for o in options]


class PreferPairForm(forms.Form):
    observer: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Observer"), empty_label=_("Choose a person")
    )
    observed: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, label=_("Observed teacher"), empty_label=_("Choose a person")
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["observer"].queryset = people  # type: ignore[attr-defined]
        self.fields["observed"].queryset = people  # type: ignore[attr-defined]
