from django.urls import path

from . import views

app_name = "scheduling"

urlpatterns = [
    path("", views.index, name="index"),
    path("import/ics/", views.import_ics, name="import_ics"),
    path("import/csv/", views.import_csv, name="import_csv"),
    path("import/<int:import_id>/", views.import_report, name="import_report"),
    path("subscription/", views.subscription, name="subscription"),
    path("subscription/refresh/", views.subscription_refresh, name="subscription_refresh"),
    path("subscription/remove/", views.subscription_remove, name="subscription_remove"),
    path("lessons/new/", views.manual, name="manual"),
    path("lessons/series/", views.series_correct, name="series_correct"),
    path("lessons/<int:entry_id>/delete/", views.entry_delete, name="entry_delete"),
    path("clear/", views.clear, name="clear"),
    path("free-time/", views.free_time, name="free_time"),
    path("free-time/meeting/", views.free_time_meeting, name="free_time_meeting"),
    path("dedicated/", views.dedicated, name="dedicated"),
    path("dedicated/<int:item_id>/edit/", views.dedicated_edit, name="dedicated_edit"),
    path("dedicated/<int:item_id>/delete/", views.dedicated_delete, name="dedicated_delete"),
    path("feeds/", views.calendar_feeds, name="feeds"),
    path("feeds/<int:feed_id>/revoke/", views.calendar_feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.calendar_feed, name="feed"),
]
