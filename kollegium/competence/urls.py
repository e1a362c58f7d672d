from django.urls import path

from kollegium.competence import views

app_name = "competence"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("skills/<int:skill_id>/level/", views.level_save, name="level_save"),
    path("quick/", views.quick_start, name="quick_start"),
    path("settings/", views.profile_settings, name="profile_settings"),
    path("export.csv", views.profile_export, name="profile_export"),
    path("import/", views.profile_import, name="profile_import"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("endorse/<int:level_id>/", views.endorse, name="endorse"),
    path("endorse/<int:level_id>/withdraw/", views.endorse_withdraw, name="endorse_withdraw"),
    path("help/", views.help_search, name="help"),
    path("school/<int:school_id>/matrix/", views.matrix, name="matrix"),
    path("school/<int:school_id>/matrix.csv", views.matrix_export, name="matrix_export"),
    path("school/<int:school_id>/matrix/import/", views.matrix_import, name="matrix_import"),
    path("school/<int:school_id>/coverage/", views.coverage, name="coverage"),
    path(
        "school/<int:school_id>/focus/<int:focus_id>/",
        views.focus_skills,
        name="focus_skills",
    ),
    path("school/<int:school_id>/pairs/start/", views.pair_start, name="pair_start"),
    path("school/<int:school_id>/types/", views.school_types, name="school_types"),
    path("school/<int:school_id>/skills/new/", views.skill_create, name="skill_create"),
    path("owner/<int:owner_id>/coverage/", views.owner_coverage, name="owner_coverage"),
]
