import pytest

pytestmark = pytest.mark.django_db


def test_an_installation_administrator_uses_the_admin_site(client_for, world):
    world.alice.is_staff = True
    world.alice.is_superuser = True
    world.alice.save()
    c = client_for(world.alice)
    for url in [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/organisations/organisation/",
        "/admin/core/auditevent/",
    ]:
        assert c.get(url).status_code == 200, url


def test_a_school_leader_is_not_an_installation_administrator(client_for, world):
    response = client_for(world.alice).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
