"""Free-text fields the bad-input sweep found without a limit (issue 10): a group's purpose and
a development focus's description took 200,000 characters and saved them."""

import pytest


def test_a_groups_purpose_longer_than_2000_characters_is_refused():
    from kollegium.groups.forms import GroupForm

    def form(purpose: str) -> GroupForm:
        return GroupForm(
            data={"name": "Läsgrupp", "purpose": purpose, "starts_on": "2026-01-01",
                  "ends_on": "2026-06-01", "minutes_sharing": "members"},
            guides=[], focus_areas=[], networks=[], people=[], with_guide=False,
        )  # fmt: skip

    assert form("Bättre läsförståelse " * 90).is_valid()  # 1,890 characters
    too_long = form("x" * 2001)
    assert not too_long.is_valid()
    assert "purpose" in too_long.errors


@pytest.mark.django_db
def test_a_focus_description_longer_than_4000_characters_is_refused():
    from kollegium.organisations.forms import FocusForm

    assert FocusForm(data={"title": "Läsning", "description": "x" * 4000}).is_valid()
    too_long = FocusForm(data={"title": "Läsning", "description": "x" * 4001})
    assert not too_long.is_valid()
    assert "description" in too_long.errors
    assert 'maxlength="4000"' in str(too_long["description"])
