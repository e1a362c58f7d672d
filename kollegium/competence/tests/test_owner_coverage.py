"""Coverage across a school owner's schools: counted in the database, checked against the pure
analysis (`risk.analyse`), on the real database."""

from collections import Counter

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kollegium.accounts.models import User
from kollegium.competence import risk, selectors
from kollegium.competence.models import FocusSkill, Skill, SkillArea, SkillLevel
from kollegium.core.testing.factories import NetworkFactory, SchoolFactory, teacher_at
from kollegium.organisations.models import (
    DevelopmentFocus,
    Membership,
    Organisation,
    Role,
)

pytestmark = pytest.mark.django_db

FORMATIVE, NPF = "assessment.formative", "inclusion.npf"


def rate(user, key, level):
    return SkillLevel.objects.create(user=user, skill=Skill.objects.get(key=key), level=level)


def focus_on(school, *keys):
    focus = DevelopmentFocus.objects.create(school=school, title=f"Fokus {school.pk}")
    for key in keys:
        FocusSkill.objects.create(focus=focus, skill=Skill.objects.get(key=key))
    return focus


def row_of(data, key):
    for group in data.areas:
        for row in group.rows:
            if row.skill.key == key:
                return row
    raise AssertionError(f"{key} not shown")


def school_row(data, school):
    (row,) = [r for r in data.schools if r.school == school]
    return row


@pytest.fixture(autouse=True)
def schools_of_three(world):
    """Both schools at the owner's lowest minimum group size (three active people), so both are
    counted; School B gets two teachers who rate nothing."""
    for _ in range(2):
        teacher_at(world.school_b, Role.TEACHER)
    world.owner.min_group_size = 3
    world.owner.save(update_fields=["min_group_size"])


def test_a_school_below_the_minimum_is_left_out_of_the_skill_counts(world):
    small = SchoolFactory(parent=world.owner, name="Lilla skolan")
    holder = teacher_at(small, Role.TEACHER)
    teacher_at(small, Role.TEACHER)
    rate(holder, FORMATIVE, 4)
    own = Skill.objects.create(
        key="own.small",
        area=SkillArea.objects.first(),
        name_sv="Liten",
        name_en="Small",
        school=small,
    )
    SkillLevel.objects.create(user=holder, skill=own, level=4)
    data = selectors.owner_coverage(owner=world.owner)
    formative = row_of(data, FORMATIVE).counts
    # Two people at the small school: its vulnerable skill is in no count, nor its own skill.
    assert (formative.cells, formative.covered, formative.vulnerable) == (2, 0, 0)
    assert "own.small" not in {row.skill.key for group in data.areas for row in group.rows}
    assert not school_row(data, small).shown
    teacher_at(small, Role.TEACHER)  # three: now counted
    data = selectors.owner_coverage(owner=world.owner)
    formative = row_of(data, FORMATIVE).counts
    assert (formative.cells, formative.vulnerable) == (3, 1)
    assert school_row(data, small).shown


def test_it_counts_covered_vulnerable_and_gap_schools_per_skill(world):
    rate(world.bob, FORMATIVE, 4)
    rate(world.carol, FORMATIVE, 3)
    rate(world.dave, FORMATIVE, 3)
    rate(world.alice, NPF, 2)  # level 2 is not a holder
    data = selectors.owner_coverage(owner=world.owner)
    formative = row_of(data, FORMATIVE).counts
    assert (formative.cells, formative.covered, formative.vulnerable, formative.gap) == (2, 1, 1, 0)
    npf = row_of(data, NPF).counts
    assert (npf.covered, npf.vulnerable, npf.gap) == (0, 0, 2)
    skills = Skill.objects.filter(is_retired=False, school=None, network=None).count()
    a, b = school_row(data, world.school_a).counts, school_row(data, world.school_b).counts
    assert (a.cells, a.covered, a.vulnerable, a.gap) == (skills, 1, 0, skills - 1)
    assert (b.cells, b.covered, b.vulnerable, b.gap) == (skills, 0, 1, skills - 1)
    assert data.school_count == 2 and data.skill_count == skills


def test_focus_skills_are_counted_per_school(world):
    rate(world.dave, FORMATIVE, 4)
    focus_on(world.school_a, FORMATIVE, NPF)
    focus_on(world.school_b, FORMATIVE)
    data = selectors.owner_coverage(owner=world.owner)
    with_focus = {group.area.key for group in data.areas if group.has_focus}
    assert with_focus == {"assessment", "inclusion"}
    formative = row_of(data, FORMATIVE)
    assert formative.is_focus
    assert (formative.counts.focus, formative.counts.focus_vulnerable) == (2, 1)
    assert formative.counts.focus_gap == 1
    a = school_row(data, world.school_a).counts
    assert (a.focus, a.focus_gap, a.focus_vulnerable) == (2, 2, 0)
    b = school_row(data, world.school_b).counts
    assert (b.focus, b.focus_gap, b.focus_vulnerable) == (1, 0, 1)
    assert data.focus_skill_count == 2


def test_an_inactive_focus_area_is_not_a_focus(world):
    focus_on(world.school_a, FORMATIVE).__class__.objects.update(is_active=False)
    data = selectors.owner_coverage(owner=world.owner)
    assert data.focus_skill_count == 0


def test_a_person_at_two_schools_counts_at_both_and_inactive_people_at_none(world):
    rate(world.carol, FORMATIVE, 4)
    rate(world.dave, FORMATIVE, 4)
    rate(world.bob, FORMATIVE, 4)
    Membership.objects.create(user=world.carol, school=world.school_b, role=Role.TEACHER)
    data = selectors.owner_coverage(owner=world.owner)
    assert row_of(data, FORMATIVE).counts.covered == 2  # A: Bob + Carol, B: Dave + Carol
    teacher_at(world.school_a, Role.TEACHER)  # School A stays at three active people
    User.objects.filter(pk=world.bob.pk).update(is_active=False)
    data = selectors.owner_coverage(owner=world.owner)
    counts = row_of(data, FORMATIVE).counts
    assert (counts.covered, counts.vulnerable) == (1, 1)


def test_own_skills_count_only_at_the_schools_that_can_use_them(world):
    area = SkillArea.objects.first()
    own = Skill.objects.create(
        key="own.a", area=area, name_sv="Egen A", name_en="Own A", school=world.school_a
    )
    shared = Skill.objects.create(
        key="own.net", area=area, name_sv="Nätverkets", name_en="Network's", network=world.network
    )
    other_network = NetworkFactory(name="Annat nätverk")
    elsewhere = Skill.objects.create(
        key="own.other", area=area, name_sv="Annan", name_en="Other", network=other_network
    )
    Skill.objects.create(key="old", area=area, name_sv="Gammal", name_en="Old", is_retired=True)
    # Dave (School B) rates School A's own skill: it does not exist at School B.
    SkillLevel.objects.create(user=world.dave, skill=own, level=4)
    SkillLevel.objects.create(user=world.bob, skill=own, level=4)
    SkillLevel.objects.create(user=world.dave, skill=shared, level=4)
    data = selectors.owner_coverage(owner=world.owner)
    own_row = row_of(data, "own.a").counts
    assert (own_row.cells, own_row.vulnerable, own_row.covered) == (1, 1, 0)
    assert row_of(data, "own.a").skill.is_custom
    net_row = row_of(data, "own.net").counts
    assert (net_row.cells, net_row.vulnerable, net_row.gap) == (2, 1, 1)
    shown = {row.skill.key for group in data.areas for row in group.rows}
    assert elsewhere.key not in shown and "old" not in shown
    taxonomy = Skill.objects.filter(is_retired=False, school=None, network=None).count()
    assert school_row(data, world.school_a).counts.cells == taxonomy + 2
    assert school_row(data, world.school_b).counts.cells == taxonomy + 1


def test_schools_of_other_owners_are_not_counted(world):
    elsewhere = SchoolFactory(name="Annan skola")
    stranger = teacher_at(elsewhere, Role.TEACHER)
    rate(stranger, FORMATIVE, 4)
    data = selectors.owner_coverage(owner=world.owner)
    assert [r.school for r in data.schools] == [world.school_a, world.school_b]
    assert row_of(data, FORMATIVE).counts.gap == 2


def test_filters_keep_one_area_and_the_focus_skills(world):
    focus_on(world.school_a, FORMATIVE)
    data = selectors.owner_coverage(owner=world.owner, area_key="inclusion")
    keys = {row.skill.key for group in data.areas for row in group.rows}
    assert NPF in keys and FORMATIVE not in keys
    inclusion = Skill.objects.filter(area__key="inclusion", is_retired=False).count()
    assert school_row(data, world.school_a).counts.cells == inclusion
    data = selectors.owner_coverage(owner=world.owner, only_focus=True)
    assert [row.skill.key for group in data.areas for row in group.rows] == [FORMATIVE]


def test_schools_can_be_ordered_by_their_focus_gaps(world):
    # Both schools at the minimum group size (three, the fixture), so both show and sort.
    focus_on(world.school_b, FORMATIVE, NPF)
    by_name = selectors.owner_coverage(owner=world.owner)
    assert [r.school for r in by_name.schools] == [world.school_a, world.school_b]
    by_risk = selectors.owner_coverage(owner=world.owner, order="risk")
    assert [r.school for r in by_risk.schools] == [world.school_b, world.school_a]


def test_an_owner_without_schools_has_empty_tables(world):
    empty = Organisation.objects.create(kind=Organisation.Kind.OWNER, name="Ny huvudman")
    data = selectors.owner_coverage(owner=empty)
    assert data.schools == []
    assert all(row.counts.cells == 0 for group in data.areas for row in group.rows)


# --- the database's classification agrees with the pure analysis --------------------------

SCHOOL_COUNT, PEOPLE_COUNT = 3, 8
SKILL_KEYS = [FORMATIVE, NPF, "literacy.comprehension", "mathematics.problem_solving"]


@st.composite
def random_world(draw):
    memberships = draw(
        st.sets(
            st.tuples(
                st.integers(0, PEOPLE_COUNT - 1), st.integers(0, SCHOOL_COUNT - 1)
            ),  # (person, school): some people at two or three schools, some at none
            max_size=16,
        )
    )
    levels = draw(
        st.dictionaries(
            st.tuples(st.integers(0, PEOPLE_COUNT - 1), st.sampled_from(SKILL_KEYS)),
            st.tuples(st.integers(1, 4), st.booleans(), st.booleans()),
            max_size=30,
        )
    )
    inactive = draw(st.sets(st.integers(0, PEOPLE_COUNT - 1), max_size=2))
    focus = draw(st.sets(st.tuples(st.integers(0, SCHOOL_COUNT - 1), st.sampled_from(SKILL_KEYS))))
    return memberships, levels, inactive, focus


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=random_world())
def test_the_databases_counts_agree_with_the_pure_analysis(world, case):
    memberships, levels, inactive, focus = case
    skills = {s.key: s for s in Skill.objects.filter(key__in=SKILL_KEYS)}
    with transaction.atomic():
        schools = [SchoolFactory(parent=world.owner) for _ in range(SCHOOL_COUNT)]
        people = User.objects.bulk_create(
            [
                User(email=f"p{i}@random.example", full_name=f"P {i}", is_active=i not in inactive)
                for i in range(PEOPLE_COUNT)
            ]
        )
        Membership.objects.bulk_create(
            [Membership(user=people[p], school=schools[s]) for p, s in memberships]
        )
        SkillLevel.objects.bulk_create(
            [
                SkillLevel(
                    user=people[p],
                    skill=skills[k],
                    level=lvl,
                    willing_to_share=w,
                    want_to_learn=want,
                )
                for (p, k), (lvl, w, want) in levels.items()
            ]
        )
        for s, k in focus:
            focus_on(schools[s], k)

        # The reference: the pure analysis over the same rows, per school membership.
        entries = [
            risk.LevelEntry(schools[s].pk, people[p].pk, skills[k].pk, lvl, w, want)
            for p, s in memberships
            if p not in inactive
            for (person, k), (lvl, w, want) in levels.items()
            if person == p
        ]
        school_ids = [s.pk for s in schools]
        all_ids = [world.school_a.pk, world.school_b.pk, *school_ids]
        # Only schools with at least the minimum group size (three) of active people count.
        active = Counter(s for p, s in memberships if p not in inactive)
        counted_ids = [schools[s].pk for s in range(SCHOOL_COUNT) if active[s] >= 3]
        report = risk.analyse(
            schools=counted_ids, skills=[s.pk for s in skills.values()], levels=entries
        )
        every_school = risk.analyse(
            schools=school_ids, skills=[s.pk for s in skills.values()], levels=entries
        )
        expected = {(r.school_id, r.skill_id): r.holder_count for r in every_school.risks}

        counted = {
            (school, skill): holders
            for school, skill, holders in selectors.holder_counts(school_ids=all_ids)
            if school in school_ids and skill in {s.pk for s in skills.values()}
        }
        assert {cell: n for cell, n in expected.items() if n} == counted
        assert all(n > 0 for n in counted.values())

        data = selectors.owner_coverage(owner=world.owner)
        by_key = {row.skill.key: row.counts for group in data.areas for row in group.rows}
        focus_cells = {(schools[s].pk, skills[k].pk) for s, k in focus}
        for key, skill in skills.items():
            tally = Counter(r.coverage for r in report.risks if r.skill_id == skill.pk)
            focus_tally = Counter(
                r.coverage
                for r in report.risks
                if r.skill_id == skill.pk and (r.school_id, r.skill_id) in focus_cells
            )
            counts = by_key[key]
            # School A and School B have no level rows of these people: gaps there.
            assert counts.covered == tally[risk.Coverage.COVERED]
            assert counts.vulnerable == tally[risk.Coverage.VULNERABLE]
            assert counts.gap == tally[risk.Coverage.GAP] + 2
            assert counts.focus_vulnerable == focus_tally[risk.Coverage.VULNERABLE]
            assert counts.focus_gap == focus_tally[risk.Coverage.GAP]
        for school in schools:
            assert school_row(data, school).shown == (school.pk in counted_ids)
            if school.pk not in counted_ids:
                continue
            row = school_row(data, school).counts
            mine = Counter(r.coverage for r in report.risks if r.school_id == school.pk)
            assert (row.covered, row.vulnerable) == (
                mine[risk.Coverage.COVERED],
                mine[risk.Coverage.VULNERABLE],
            )
        transaction.set_rollback(True)
