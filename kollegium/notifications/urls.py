from django.urls import path

from kollegium.notifications import views

app_name = "notifications"

urlpatterns = [
    path("settings/", views.settings_page, name="settings"),
    path("digest/preview/", views.digest_preview, name="digest_preview"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
