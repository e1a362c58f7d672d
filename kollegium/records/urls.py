from django.urls import path

from kollegium.records import views

app_name = "records"

urlpatterns = [
    path("accessibility/", views.accessibility, name="accessibility"),
    path("accessibility/report/", views.accessibility_report, name="accessibility_report"),
    path("audit/", views.audit, name="audit"),
    path("audit/export.csv", views.audit_csv, name="audit_csv"),
    path("school/<int:school_id>/requests/", views.records_request, name="request"),
    path(
        "school/<int:school_id>/requests/records.pdf",
        views.records_request_pdf,
        name="request_pdf",
    ),
    path(
        "school/<int:school_id>/requests/records.csv",
        views.records_request_csv,
        name="request_csv",
    ),
]
