from django.urls import path

from kollegium.groups import views
from kollegium.groups.views import timer

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="create"),
    path("overview/", views.overview, name="overview"),
    path("guides/", views.guide_list, name="guides"),
    path("guides/school/<int:pk>/", views.guide_detail, name="guide_adapted"),
    path("guides/school/<int:pk>/adapt/", views.guide_adapt, name="guide_adapt_adapted"),
    path("guides/<slug:slug>/", views.guide_detail, name="guide"),
    path("guides/<slug:slug>/adapt/", views.guide_adapt, name="guide_adapt"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/edit/", views.group_edit, name="edit"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/conclusions/new/", views.conclusion_create, name="conclusion_create"),
    path("<int:pk>/evidence/", views.evidence, name="evidence"),
    path("<int:pk>/evidence/lessons/", views.evidence_lesson_add, name="evidence_lesson_add"),
    path("<int:pk>/evidence/results/", views.evidence_result_save, name="evidence_result_save"),
    path("<int:pk>/export/", views.export, name="export"),
    path("<int:pk>/export.md", views.export, {"fmt": "md"}, name="export_md"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/apologies/", views.meeting_apologies, name="meeting_apologies"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes_save, name="meeting_minutes"),
    path(
        "meetings/<int:pk>/minutes/history/",
        views.meeting_minutes_history,
        name="meeting_minutes_history",
    ),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path(
        "meetings/<int:pk>/commitments/new/",
        views.meeting_commitment_create,
        name="meeting_commitment_create",
    ),
    path(
        "meetings/<int:pk>/commitments/<int:commitment_pk>/reflect/",
        views.commitment_reflect,
        name="commitment_reflect",
    ),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/timer/", timer.meeting_timer, name="meeting_timer"),
    path("meetings/<int:pk>/timer/run/", timer.meeting_timer_run, name="meeting_timer_run"),
    path("meetings/<int:pk>/timer/step/", timer.meeting_timer_step, name="meeting_timer_step"),
    path("meetings/<int:pk>/talks/new/", views.talk_signup, name="talk_signup"),
    path("meetings/<int:pk>/talks/draw/", views.talk_draw, name="talk_draw"),
    path("talks/<int:pk>/edit/", views.talk_edit, name="talk_edit"),
    path("talks/<int:pk>/withdraw/", views.talk_withdraw, name="talk_withdraw"),
    path("talks/<int:pk>/move/", views.talk_move, name="talk_move"),
    path("talks/<int:pk>/reorder/", views.talk_reorder, name="talk_reorder"),
    path("talks/<int:pk>/remove/", views.talk_remove, name="talk_remove"),
    path("conclusions/<int:pk>/publish/", views.conclusion_publish, name="conclusion_publish"),
]
