from django.urls import path

from kollegium.library import views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("share/", views.share, name="share"),
    path("new/", views.create, name="create"),
    path("items/<int:pk>/", views.item_page, name="item"),
    path("items/<int:pk>/print/", views.item_print, name="print"),
    path("items/<int:pk>/edit/", views.item_edit, name="edit"),
    path("items/<int:pk>/versions/", views.history, name="history"),
    path("items/<int:pk>/versions/<int:number>/restore/", views.restore, name="restore"),
    path("items/<int:pk>/helped/", views.appreciate, name="appreciate"),
    path("items/<int:pk>/tried/", views.tried, name="tried"),
    path("files/<int:pk>/", views.attachment_download, name="attachment"),
    path("files/<int:pk>/image/", views.attachment_display, name="attachment_display"),
    path("collections/", views.collections, name="collections"),
    path("collections/new/", views.collection_edit, name="collection_create"),
    path("collections/<int:pk>/", views.collection, name="collection"),
    path("collections/<int:pk>/edit/", views.collection_edit, name="collection_edit"),
    path("collections/<int:pk>/add/", views.collection_add, name="collection_add"),
    path("start-here/", views.start_here, name="start_here"),
]
