from django.urls import path

from kollegium.topics import views

app_name = "topics"

urlpatterns = [
    path("", views.topic_list, name="list"),
    path("new/", views.propose, name="propose"),
    path("<int:topic_id>/", views.detail, name="detail"),
    path("<int:topic_id>/respond/", views.respond, name="respond"),
    path("<int:topic_id>/decide/", views.decide, name="decide"),
    path("<int:topic_id>/take-up/", views.take_up, name="take_up"),
    path("<int:topic_id>/expert/", views.expert_mark, name="expert_mark"),
    path("<int:topic_id>/expert/record/", views.expert_record, name="expert_record"),
    path(
        "responses/<int:response_id>/withdraw/",
        views.response_withdraw,
        name="response_withdraw",
    ),
    path("school/<int:school_id>/priorities/", views.priorities, name="priorities"),
    path("school/<int:school_id>/weights/reset/", views.weights_reset, name="weights_reset"),
]
