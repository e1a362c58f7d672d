from django.urls import path

from kollegium.directory import signin_views, views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("files/", views.file_source_create, name="file_source_create"),
    path("sources/<int:source_id>/", views.source_detail, name="source"),
    path("sources/<int:source_id>/file/", views.source_file_preview, name="source_file_preview"),
    path("sources/<int:source_id>/dry-run/", views.source_dry_run, name="source_dry_run"),
    path("sources/<int:source_id>/sync/", views.source_sync, name="source_sync"),
    path("runs/<int:run_id>/", views.run_detail, name="run"),
    path("runs/<int:run_id>/apply/", views.run_apply, name="run_apply"),
    path("sign-in/", signin_views.signin_index, name="signin_index"),
    path("sign-in/<int:connection_id>/", signin_views.signin_connection, name="signin_connection"),
    path(
        "sign-in/<int:connection_id>/test/",
        signin_views.signin_connection_test,
        name="signin_connection_test",
    ),
    path(
        "sign-in/<int:connection_id>/delete/",
        signin_views.signin_connection_delete,
        name="signin_connection_delete",
    ),
    path("sign-in/owners/<int:owner_id>/", signin_views.signin_passwords, name="signin_passwords"),
]
