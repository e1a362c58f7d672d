import pytest

from kollegium.core.testing.factories import teacher_at


@pytest.fixture
def admin_a(world):
    """An administrator at School A (erases there)."""
    from kollegium.organisations.models import Role

    return teacher_at(
        world.school_a, Role.ADMINISTRATOR, email="adam@a.example", full_name="Adam Admin"
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
