"""Load the taxonomy data file into the database. Idempotent; keys are stable.

Used by the data migration (with historical models) and by `manage.py load_skills`.
Skills that have left the file are marked retired, never deleted (profiles refer to them).
"""

from __future__ import annotations

from typing import Any

from kollegium.competence.taxonomy import Taxonomy, load_taxonomy


def sync_taxonomy(
    *, area_model: Any, skill_model: Any, taxonomy: Taxonomy | None = None
) -> dict[str, int]:
    taxonomy = taxonomy or load_taxonomy()
    created = updated = 0
    file_keys: set[str] = set()
    existing_areas = {a.key: a for a in area_model.objects.all()}
    existing_skills = {s.key: s for s in skill_model.objects.filter(school=None, network=None)}
    for area_order, area_def in enumerate(taxonomy.areas):
        area = existing_areas.get(area_def.key) or area_model(key=area_def.key)
        area.name_sv, area.name_en = area_def.name.sv, area_def.name.en
        area.description_sv = area_def.description.sv[:300]
        area.description_en = area_def.description.en[:300]
        area.order = area_order
        area.save()
        for order, skill_def in enumerate(area_def.skills):
            file_keys.add(skill_def.key)
            skill = existing_skills.get(skill_def.key)
            values = {
                "area": area,
                "name_sv": skill_def.name.sv[:120],
                "name_en": skill_def.name.en[:120],
                "description_sv": skill_def.description.sv[:300],
                "description_en": skill_def.description.en[:300],
                "order": order,
                "is_retired": skill_def.retired,
            }
            if skill is None:
                skill_model.objects.create(key=skill_def.key, **values)
                created += 1
            elif any(getattr(skill, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(skill, k, v)
                skill.save()
                updated += 1
    retired = (
        skill_model.objects.filter(school=None, network=None, is_retired=False)
        .exclude(key__in=file_keys)
        .update(is_retired=True)
    )
    return {"created": created, "updated": updated, "retired": retired}
