from django.contrib import admin

from kollegium.competence.models import Skill, SkillArea


@admin.register(SkillArea)
class SkillAreaAdmin(admin.ModelAdmin):
    list_display = ["key", "name_sv", "name_en", "order"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["key", "name_sv", "name_en", "area", "school", "is_retired"]
    list_filter = ["area", "is_retired"]
    search_fields = ["key", "name_sv", "name_en"]
    raw_id_fields = ["school", "network", "created_by"]
