from django.urls import path

from kollegium.directory import views

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
]
