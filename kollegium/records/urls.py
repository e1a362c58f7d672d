from django.urls import path

from kollegium.records import views

app_name = "records"

urlpatterns = [
    path("audit/", views.audit, name="audit"),
    path("audit/export.csv", views.audit_csv, name="audit_csv"),
]
