"""The row-heavy competence pages render their rows cheaply (issue 10) and show the same thing:
the profile's rows and the coverage page's heat map and pairs are Jinja2 fragments, the
matrix's cells are joined from constant strings without a model instance per cell."""

import re

import pytest
from django.db.models.signals import post_init
from django.urls import reverse

from kollegium.competence.models import Skill, SkillLevel
from kollegium.core.jinja import render_fragment

pytestmark = pytest.mark.django_db


def level(user, key, value, share=False, want=False, evidence=""):
    return SkillLevel.objects.create(
        user=user,
        skill=Skill.objects.get(key=key),
        level=value,
        willing_to_share=share,
        want_to_learn=want,
        evidence=evidence,
    )


def test_the_profile_rows_show_the_saved_level_in_swedish_with_a_csrf_token(client_for, bob):
    saved = level(bob, "assessment.formative", 3, share=True, evidence='Exit "tickets" <b>')
    page = client_for(bob).get(reverse("competence:profile")).content.decode()
    row = re.search(
        rf'<form class="skill-row is-set" id="skill-{saved.skill_id}".*?</form>', page, re.S
    )
    assert row, "the saved skill's row is marked as set"
    html = row.group(0)
    assert '<option value="3" selected>3 – säker</option>' in html
    assert f'name="willing_to_share" id="share-{saved.skill_id}" checked>' in html
    assert f'name="want_to_learn" id="learn-{saved.skill_id}">' in html
    assert "Exit &#34;tickets&#34; &lt;b&gt;" in html  # escaped, never markup
    assert f'action="/competence/skills/{saved.skill_id}/level/"' in html
    assert re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', html)
    assert ">Nivå</label>" in html and "> Delar gärna</label>" in html and ">Spara<" in html
    # Every other skill has a row too, not set.
    assert page.count('class="skill-row"') + page.count('class="skill-row is-set"') == (
        Skill.objects.filter(is_retired=False, school=None, network=None).count()
    )


def test_a_fragment_renders_one_csrf_token_for_all_its_rows(rf, bob):
    request = rf.get("/")
    html = render_fragment(
        "competence/_skill_rows.html",
        {
            "rows": [(s, None) for s in Skill.objects.all()[:5]],
            "row_text": {"level": "Level"},
        },
        request,
    )
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1  # one token for the page, not a freshly masked one per row


def test_the_matrix_shows_levels_and_flags_without_a_model_instance_per_cell(client_for, world):
    level(world.bob, "assessment.formative", 3, share=True)
    level(world.carol, "assessment.formative", 2, want=True)
    made = []

    def count(sender, **kwargs):
        made.append(sender)

    post_init.connect(count, sender=SkillLevel)
    try:
        page = client_for(world.alice).get(reverse("competence:matrix", args=[world.school_a.pk]))
    finally:
        post_init.disconnect(count, sender=SkillLevel)
    html = page.content.decode()
    assert made == []
    # (issue 16: the flags are capital letters apart from the level: "2 L" never reads as 21)
    assert '<td class="lv3">3 <span class="flags">D</span></td>' in html
    assert '<td class="lv2">2 <span class="flags">L</span></td>' in html
    assert "<td>–</td>" in html  # Alice filled in nothing
    assert f'<a href="/competence/people/{world.bob.pk}/">{world.bob.full_name}</a>' in html


def test_the_coverage_heat_map_and_pairs_are_translated_and_link_their_forms(client_for, world):
    level(world.bob, "assessment.formative", 4, share=True)
    level(world.carol, "assessment.formative", 1, want=True)
    # The school's three people are fewer than the default minimum group size for figures.
    world.owner.min_group_size = 3
    world.owner.save(update_fields=["min_group_size"])
    html = (
        client_for(world.alice)
        .get(reverse("competence:coverage", args=[world.school_a.pk]))
        .content.decode()
    )
    assert "Antal personer per nivå inom" in html
    assert '<td class="num h1">1</td>' in html
    start = reverse("competence:pair_start", args=[world.school_a.pk])
    assert f'<form method="post" action="{start}" class="cluster">' in html
    assert ">Mentorspar<span" in html
    assert re.search(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]{64}"', html)
