import os

from django.contrib import admin
from django.urls import include, path

from kollegium.accounts import views as accounts_views
from kollegium.core import views as core_views
from kollegium.organisations import views as organisations_views
from kollegium.recognition import views as recognition_views

admin.site.site_header = "Kollegium"
admin.site.site_title = "Kollegium"

urlpatterns = [
    path("", include("kollegium.core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    # allauth's sign-in page, answering 429 with Retry-After when throttled.
    path("accounts/login/", accounts_views.LoginView.as_view(), name="account_login"),
    # A school sign-in's start page (its form goes on to the school's IdP, issue 11).
    path("accounts/oidc/<str:provider_id>/login/", accounts_views.school_sign_in),
    path("accounts/", include("allauth.urls")),
    # Invitation links sent before invitations moved to the organisations app.
    path("me/invitation/<str:token>/", organisations_views.invitation_accept),
    path("me/", include("kollegium.accounts.urls")),
    path("school/", include("kollegium.organisations.urls")),
    path("competence/", include("kollegium.competence.urls")),
    path("questions/", include("kollegium.questions.urls")),
    path("groups/", include("kollegium.groups.urls")),
    path("library/", include("kollegium.library.urls")),
    path("scheduling/", include("kollegium.scheduling.urls")),
    path("observations/", include("kollegium.observations.urls")),
    path("insights/", include("kollegium.insights.urls")),
    path("records/", include("kollegium.records.urls")),
    path("privacy/", include("kollegium.privacy.urls")),
    path("directory/", include("kollegium.directory.urls")),
    path("federation/", include("kollegium.federation.urls")),
    path("saml2/", include("kollegium.federation.saml_urls")),
    path("recognition/", include("kollegium.recognition.urls")),
    path(".well-known/jwks.json", recognition_views.jwks, name="jwks"),
    path(".well-known/did.json", recognition_views.did_document, name="did_document"),
    path("notifications/", include("kollegium.notifications.urls")),
    path("topics/", include("kollegium.topics.urls")),
    path("admin/", admin.site.urls),
]

if os.environ.get("KOLLEGIUM_BENCH") == "1":
    # Only for `make bench`: a view with the full middleware stack and nothing else.
    urlpatterns.append(path("bench/bare", core_views.bench_bare))

handler400 = "kollegium.core.views.error_400"
handler403 = "kollegium.core.views.error_403"
handler404 = "kollegium.core.views.error_404"
handler500 = "kollegium.core.views.error_500"
# allauth's rate limits (password reset) answer through this (allauth.core.ratelimit).
handler429 = "kollegium.core.views.error_429"
