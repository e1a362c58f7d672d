from django.urls import path

from kollegium.recognition import views

app_name = "recognition"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("share/", views.share, name="share"),
    path("people/<int:user_id>/", views.person, name="person"),
    path("thanks/", views.thanks, name="thanks"),
    path("thanks/to/<int:user_id>/", views.thank, name="thank"),
    path("thanks/<int:pk>/profile/", views.thanks_profile, name="thanks_profile"),
    path("thanks/<int:pk>/remove/", views.thanks_remove, name="thanks_remove"),
    path("portfolio/", views.portfolio, name="portfolio"),
    path("portfolio.pdf", views.portfolio_pdf, name="portfolio_pdf"),
    path("portfolio.json", views.portfolio_json, name="portfolio_json"),
    path("confirmations/<int:pk>/credential.jwt", views.credential, name="credential"),
    path("groups/<int:group_id>/", views.group, name="group"),
    path("groups/<int:group_id>/guests/", views.guest_invite, name="guest_invite"),
    path("groups/<int:group_id>/confirm/<int:user_id>/", views.confirm, name="confirm"),
    path("guests/<int:pk>/remove/", views.guest_remove, name="guest_remove"),
    path("guest/", views.guest_home, name="guest_home"),
    path("guest/<str:token>/", views.guest_accept, name="guest_accept"),
    path("verify/", views.verify, name="verify"),
]
