"""Creating or editing a group shows what research says about its plan (issue 14): gently,
never blocking, with the reason and the source; the load count only to leaders."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from kollegium.groups.models import LearningGroup
from kollegium.groups.tests.helpers import make_group

pytestmark = pytest.mark.django_db


def test_the_edit_page_shows_the_research_on_a_rare_short_plan(world, client_for):
    today = timezone.localdate()
    group = make_group(world, interval_days=60, ends_on=today + timedelta(days=40))
    page = client_for(world.carol).get(reverse("groups:edit", args=[group.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Vad forskningen säger om den här planen" in text
    assert "Träffas var 60:e dag" in text
    assert reverse("insights:research") in text


def test_a_monthly_rhythm_is_not_warned_about(world, client_for):
    group = make_group(world, interval_days=28)
    page = client_for(world.carol).get(reverse("groups:edit", args=[group.pk]))
    text = page.content.decode()
    assert "Träffas var" not in text
    # Two members is fewer than research suggests: that is said, with its source.
    assert "Vad forskningen säger" in text


def test_saving_a_rare_plan_saves_and_warns(world, client_for):
    group = make_group(world, interval_days=28)
    client = client_for(world.carol)
    page = client.get(reverse("groups:edit", args=[group.pk]))
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["members"] = [str(pk) for pk in form.initial["members"]]
    data["interval_days"] = "90"
    for key in ("starts_on", "ends_on"):
        data[key] = form.initial[key].isoformat()
    response = client.post(reverse("groups:edit", args=[group.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LearningGroup.objects.get(pk=group.pk).interval_days == 90  # never blocking
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Träffas var 90:e dag" in m for m in shown), shown
