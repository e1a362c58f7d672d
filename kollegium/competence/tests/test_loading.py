import pytest
from django.core.management import call_command

from kollegium.competence.models import Skill, SkillArea
from kollegium.competence.taxonomy import load_taxonomy

pytestmark = pytest.mark.django_db


def test_the_migration_loads_every_skill_of_the_taxonomy_with_its_key():
    taxonomy = load_taxonomy()
    assert set(Skill.objects.values_list("key", flat=True)) >= {s.key for s in taxonomy.skills}
    assert SkillArea.objects.count() == len(taxonomy.areas)
    formative = Skill.objects.get(key="assessment.formative")
    assert formative.name_sv == "Formativ bedömning"
    assert formative.name_en == "Formative assessment"


def test_loading_again_changes_nothing_and_keeps_ids(capsys):
    before = dict(Skill.objects.values_list("key", "id"))
    call_command("load_skills")
    assert "0 created, 0 updated, 0 retired" in capsys.readouterr().out
    assert dict(Skill.objects.values_list("key", "id")) == before


def test_a_skill_that_left_the_file_is_retired_not_deleted(tmp_path):
    area = SkillArea.objects.get(key="assessment")
    Skill.objects.create(key="assessment.old_thing", area=area, name_sv="Gammalt", name_en="Old")
    call_command("load_skills")
    assert Skill.objects.get(key="assessment.old_thing").is_retired


def test_a_broken_file_is_refused_with_its_line(tmp_path):
    broken = tmp_path / "skills.yaml"
    broken.write_text("version: 1\nareas: []\n", encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=r"skills.yaml:2: areas must be a non-empty list"):
        call_command("load_skills", str(broken))
