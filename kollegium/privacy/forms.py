from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kollegium.core.aggregates import DEFAULT_MIN_GROUP_SIZE, MAX_ALLOWED, MIN_ALLOWED
from kollegium.privacy.models import ErasureReason, OwnerPrivacySettings, RecordsDecision
from kollegium.privacy.services import RECORDS_REASON_MAX


class ErasureForm(forms.Form):
    person = forms.ChoiceField(label=_("Person"))
    reason = forms.ChoiceField(
        label=_("Why"),
        choices=[
            (ErasureReason.REQUEST, ErasureReason.REQUEST.label),
            (ErasureReason.LEFT, ErasureReason.LEFT.label),
        ],
        widget=forms.RadioSelect,
        initial=ErasureReason.REQUEST,
    )
    records = forms.ChoiceField(
        label=_("Official records (published minutes, proven practice, published items)"),
        choices=RecordsDecision.choices,
        widget=forms.RadioSelect,
    )
    records_reason = forms.CharField(
        label=_("Reason for the decision on official records"),
        help_text=_("Needed when it differs from the owner's rule; it is kept with the erasure."),
        required=False,
        max_length=RECORDS_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, people: Iterable[Any] = (), records: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ChoiceField)
        person.choices = [("", _("Choose a person"))] + [
            (str(m.user_id), f"{m.user.full_name} ({m.get_role_display()})") for m in people
        ]
        self.fields["records"].initial = records or RecordsDecision.ANONYMISE


class RulesForm(forms.ModelForm):
    min_group_size = forms.IntegerField(
        label=_("Minimum group size for figures"),
        min_value=MIN_ALLOWED,
        max_value=MAX_ALLOWED,
    )

    def __init__(self, *args: Any, min_group_size: int = DEFAULT_MIN_GROUP_SIZE, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["min_group_size"]
        field.initial = min_group_size
        # Formatted here, in the language of the request (not once, when the module loads).
        field.help_text = gettext(
            "Leaders and the owner's staff see counts, shares and charts only when at least "
            "this many people are behind them; fewer are shown as “too few to show”, so that "
            "no single teacher can be picked out. From %(low)s to %(high)s; the default is "
            "%(default)s."
        ) % {"low": MIN_ALLOWED, "high": MAX_ALLOWED, "default": DEFAULT_MIN_GROUP_SIZE}

    class Meta:
        model = OwnerPrivacySettings
        fields = [
            "min_group_size",
            "grace_days",
            "records_default",
            "observation_notes_months",
            "notifications_days",
            "sign_ins_months",
            "deactivated_months",
        ]
        widgets = {"records_default": forms.RadioSelect}
