from django.urls import path

from kollegium.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.my_school, name="my_school"),
    path("switch/", views.switch_school, name="switch_school"),
    path("<int:school_id>/", views.school, name="school"),
    path("<int:school_id>/people/", views.people, name="people"),
    path("<int:school_id>/invitations/", views.invitations, name="invitations"),
    path("<int:school_id>/teams/", views.teams, name="teams"),
    path("<int:school_id>/networks/", views.networks, name="networks"),
    path(
        "<int:school_id>/networks/<int:network_id>/join/", views.network_join, name="network_join"
    ),
    path(
        "<int:school_id>/networks/<int:network_id>/leave/",
        views.network_leave,
        name="network_leave",
    ),
    path("<int:school_id>/focus/", views.focus_areas, name="focus_areas"),
    path("focus/<int:focus_id>/", views.focus_edit, name="focus_edit"),
    path("teams/<int:team_id>/", views.team, name="team"),
    path("teams/<int:team_id>/delete/", views.team_delete, name="team_delete"),
    path("memberships/<int:membership_id>/role/", views.membership_role, name="membership_role"),
    path(
        "memberships/<int:membership_id>/remove/", views.membership_remove, name="membership_remove"
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path(
        "invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
