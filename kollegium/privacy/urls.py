from django.urls import path

from kollegium.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export_create, name="export_create"),
    path("export/<int:pk>/", views.export_detail, name="export_detail"),
    path("export/<int:pk>/download/", views.export_download, name="export_download"),
    path("school/<int:school_id>/erasures/", views.erasures, name="erasures"),
    path("erasure/<int:pk>/", views.erasure_detail, name="erasure_detail"),
    path("erasure/<int:pk>/cancel/", views.erasure_cancel, name="erasure_cancel"),
    path("erasure/<int:pk>/run/", views.erasure_run, name="erasure_run"),
    path("owner/<int:owner_id>/rules/", views.rules, name="rules"),
]
