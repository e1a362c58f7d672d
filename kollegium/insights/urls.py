from django.urls import path

from kollegium.insights import views

app_name = "insights"

urlpatterns = [
    path("me/", views.mine, name="mine"),
    path("school/<int:school_id>/", views.school, name="school"),
    path("school/<int:school_id>/promise/", views.promise_set, name="promise_set"),
    path(
        "school/<int:school_id>/promise/<int:promise_id>/remove/",
        views.promise_remove,
        name="promise_remove",
    ),
    path("school/<int:school_id>/csv/<slug:table>/", views.school_csv, name="school_csv"),
    path("school/<int:school_id>/report/", views.report, name="report"),
    path("school/<int:school_id>/report.pdf", views.report_pdf, name="report_pdf"),
    path("owner/<int:owner_id>/", views.owner, name="owner"),
    path("owner/<int:owner_id>/csv/", views.owner_csv, name="owner_csv"),
    path("research/", views.research, name="research"),
]
