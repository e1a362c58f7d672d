import pytest

from kollegium.core.testing.factories import TeamFactory, TeamMembershipFactory, teacher_at
from kollegium.core.testing.queries import assert_constant_queries
from kollegium.organisations.models import Invitation, Membership, Network, Role

pytestmark = pytest.mark.django_db

READ_PAGES = ["", "people/", "teams/", "networks/", "focus/"]


@pytest.mark.parametrize("suffix", READ_PAGES)
def test_school_pages_open_for_people_at_the_school(client_for, world, suffix):
    for person in (world.alice, world.bob):
        assert client_for(person).get(f"/school/{world.school_a.pk}/{suffix}").status_code == 200


@pytest.mark.parametrize("suffix", [*READ_PAGES, "invitations/"])
def test_dave_cannot_see_school_a_pages(client_for, world, suffix):
    assert client_for(world.dave).get(f"/school/{world.school_a.pk}/{suffix}").status_code == 404


@pytest.mark.parametrize("suffix", [*READ_PAGES, "invitations/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, world, suffix):
    response = client.get(f"/school/{world.school_a.pk}/{suffix}")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_my_school_goes_to_the_current_school(client_for, world):
    response = client_for(world.bob).get("/school/")
    assert response["Location"] == f"/school/{world.school_a.pk}/"


def test_only_leaders_open_the_invitations_page(client_for, world):
    url = f"/school/{world.school_a.pk}/invitations/"
    assert client_for(world.alice).get(url).status_code == 200
    assert client_for(world.bob).get(url).status_code == 404
    assert client_for(world.carol).get(url).status_code == 404


def test_a_leader_invites_from_the_page(
    client_for, world, mailoutbox, django_capture_on_commit_callbacks
):
    c = client_for(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            f"/school/{world.school_a.pk}/invitations/",
            {"email": "nina@a.example", "role": Role.TEACHER, "full_name": "Nina Ny"},
        )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "nina@a.example"
    assert len(mailoutbox) == 1


def test_inviting_someone_already_at_the_school_shows_the_reason(client_for, world):
    response = client_for(world.alice).post(
        f"/school/{world.school_a.pk}/invitations/",
        {"email": world.bob.email, "role": Role.TEACHER},
    )
    assert response.status_code == 200
    assert "redan på skolan" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_leader_gives_bob_the_facilitator_role(client_for, world):
    membership = Membership.objects.get(user=world.bob)
    response = client_for(world.alice).post(
        f"/school/memberships/{membership.pk}/role/", {"role": Role.FACILITATOR}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.FACILITATOR


def test_a_teacher_cannot_change_roles(client_for, world):
    membership = Membership.objects.get(user=world.carol)
    response = client_for(world.bob).post(
        f"/school/memberships/{membership.pk}/role/", {"role": Role.LEADER}
    )
    assert response.status_code == 404
    membership.refresh_from_db()
    assert membership.role == Role.FACILITATOR


def test_dave_cannot_change_roles_at_school_a(client_for, world):
    membership = Membership.objects.get(user=world.bob)
    response = client_for(world.dave).post(
        f"/school/memberships/{membership.pk}/role/", {"role": Role.LEADER}
    )
    assert response.status_code == 404


def test_an_unknown_role_is_refused_with_a_message(client_for, world):
    membership = Membership.objects.get(user=world.bob)
    response = client_for(world.alice).post(
        f"/school/memberships/{membership.pk}/role/", {"role": "emperor"}, follow=True
    )
    assert "giltig roll" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.TEACHER


def test_the_last_leader_cannot_step_down(client_for, world):
    membership = Membership.objects.get(user=world.alice)
    response = client_for(world.alice).post(
        f"/school/memberships/{membership.pk}/role/", {"role": Role.TEACHER}, follow=True
    )
    assert "minst en" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.LEADER


def test_a_leader_creates_a_team_and_sets_its_members(client_for, world):
    c = client_for(world.alice)
    response = c.post(
        f"/school/{world.school_a.pk}/teams/", {"name": "Ämneslag NO", "kind": "subject"}
    )
    team = world.school_a.teams.get(name="Ämneslag NO")
    assert response["Location"] == f"/school/teams/{team.pk}/"
    response = c.post(
        f"/school/teams/{team.pk}/",
        {
            "team-name": "Ämneslag NO",
            "team-kind": "subject",
            "members-members": [str(world.bob.pk)],
        },
    )
    assert response.status_code == 302
    assert list(team.members.all()) == [world.bob]


def test_a_duplicate_team_name_is_refused(client_for, world):
    response = client_for(world.alice).post(
        f"/school/{world.school_a.pk}/teams/", {"name": "arbetslag 4–6", "kind": "work"}
    )
    assert response.status_code == 200
    assert (
        "redan ett arbetslag" in response.content.decode() or "redan" in response.content.decode()
    )
    assert world.school_a.teams.count() == 1


def test_a_team_cannot_get_members_from_another_school(client_for, world):
    response = client_for(world.alice).post(
        f"/school/teams/{world.team_a.pk}/",
        {
            "team-name": world.team_a.name,
            "team-kind": "work",
            "members-members": [str(world.dave.pk)],
        },
    )
    assert response.status_code == 200
    assert not world.team_a.members.filter(pk=world.dave.pk).exists()


def test_a_leader_starts_a_network_and_another_school_joins(client_for, world):
    from kollegium.core.testing.factories import SchoolFactory

    c = client_for(world.alice)
    c.post(
        f"/school/{world.school_a.pk}/networks/",
        {"name": "Läsnätverket", "description": "", "is_open": "on"},
    )
    network = Network.objects.get(name="Läsnätverket")
    school_c = SchoolFactory()
    leader_c = teacher_at(school_c, Role.LEADER)
    response = client_for(leader_c).post(f"/school/{school_c.pk}/networks/{network.pk}/join/")
    assert response.status_code == 302
    assert set(network.schools.all()) == {world.school_a, school_c}


def test_a_teacher_cannot_join_a_network_for_the_school(client_for, world):
    network = Network.objects.create(name="Öppet")
    response = client_for(world.bob).post(
        f"/school/{world.school_a.pk}/networks/{network.pk}/join/"
    )
    assert response.status_code == 404
    assert not network.schools.exists()


def test_a_leader_adds_a_development_focus(client_for, world):
    client_for(world.alice).post(
        f"/school/{world.school_a.pk}/focus/", {"title": "Formativ bedömning", "description": ""}
    )
    assert world.school_a.focus_areas.get().title == "Formativ bedömning"


def test_a_teacher_cannot_add_a_focus(client_for, world):
    response = client_for(world.bob).post(f"/school/{world.school_a.pk}/focus/", {"title": "X"})
    assert response.status_code == 404
    assert not world.school_a.focus_areas.exists()


def test_a_person_at_two_schools_switches_between_them(client_for, world):
    Membership.objects.create(user=world.bob, school=world.school_b, role=Role.TEACHER)
    c = client_for(world.bob)
    c.post("/school/switch/", {"school_id": world.school_b.pk})
    assert c.get("/school/")["Location"] == f"/school/{world.school_b.pk}/"


def test_switching_to_a_school_you_are_not_at_is_refused(client_for, world):
    c = client_for(world.bob)
    assert c.post("/school/switch/", {"school_id": world.school_b.pk}).status_code == 404


def test_the_people_page_runs_constant_queries_at_two_sizes(client_for, world):
    c = client_for(world.alice)

    def grow():
        team = TeamFactory(school=world.school_a)
        for _ in range(30):
            person = teacher_at(world.school_a)
            TeamMembershipFactory(team=team, user=person)

    assert_constant_queries(lambda: c.get(f"/school/{world.school_a.pk}/people/"), grow)


def test_the_school_page_runs_constant_queries_at_two_sizes(client_for, world):
    c = client_for(world.alice)

    def grow():
        for _ in range(5):
            TeamFactory(school=world.school_a)
        for _ in range(20):
            teacher_at(world.school_a)

    assert_constant_queries(lambda: c.get(f"/school/{world.school_a.pk}/"), grow)


def test_the_people_search_narrows_by_name_and_returns_a_partial_for_htmx(client_for, world):
    response = client_for(world.alice).get(
        f"/school/{world.school_a.pk}/people/?q=carol", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Carol Chen" in body and "Bob Berg" not in body
    assert "<html" not in body
