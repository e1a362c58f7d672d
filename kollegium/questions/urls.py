from django.urls import path

from kollegium.questions import views

app_name = "questions"

urlpatterns = [
    path("", views.question_list, name="list"),
    path("ask/", views.ask, name="ask"),
    path("follow/", views.follow, name="follow"),
    path("<int:question_id>/", views.detail, name="detail"),
    path("<int:question_id>/answer/", views.answer, name="answer"),
    path("<int:question_id>/answers/<int:answer_id>/helpful/", views.helpful, name="helpful"),
    path("<int:question_id>/answers/<int:answer_id>/accept/", views.accept, name="accept"),
    path("<int:question_id>/publish/", views.publish, name="publish"),
]
