from django.urls import path

from kollegium.observations import views

app_name = "observations"

urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide, name="guide"),
    path("new/", views.request_new, name="request"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/reschedule/", views.reschedule, name="reschedule"),
    path("<int:pk>/focus/", views.focus, name="focus"),
    path("<int:pk>/notes/", views.note_add, name="note_add"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
    path("<int:pk>/debrief/", views.debrief, name="debrief"),
    path("<int:pk>/share/", views.share, name="share"),
    path("<int:pk>/agree/", views.agree, name="agree"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/done/", views.mark_done, name="mark_done"),
    path("<int:pk>/debriefed/", views.mark_debriefed, name="mark_debriefed"),
    path("learnings/<int:pk>/withdraw/", views.learning_withdraw, name="learning_withdraw"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/prefer/", views.round_prefer, name="round_prefer"),
    path(
        "rounds/<int:pk>/prefer/<int:observer_id>-<int:observed_id>/remove/",
        views.round_unprefer,
        name="round_unprefer",
    ),
    path("rounds/<int:pk>/solve/", views.round_solve, name="round_solve"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/pairs/<int:pk>/move/", views.pair_move, name="pair_move"),
    path("pairs/<int:pk>/answer/", views.pair_answer, name="pair_answer"),
    path("statistics/", views.statistics, name="statistics"),
    path("owner/<int:owner_id>/", views.owner_counts, name="owner_counts"),
    path("statistics.csv", views.statistics_csv, name="statistics_csv"),
]
