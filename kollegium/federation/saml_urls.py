"""Sign-in through Skolfederation, mounted at /saml2/ (config/urls.py)."""

from django.urls import path

from kollegium.federation import saml_views

app_name = "saml2"

urlpatterns = [
    path("", saml_views.choose, name="choose"),
    path("s/<slug:slug>/", saml_views.direct, name="direct"),
    path("login/", saml_views.login, name="login"),
    path("acs/", saml_views.acs, name="acs"),
    path("metadata/", saml_views.sp_metadata, name="metadata"),
]
