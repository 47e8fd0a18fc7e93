"""Alert source pages, under /alerts/alert-sources/ (included by alerts/urls.py)."""

from django.urls import path

from citysoc.alerts import source_views

urlpatterns = [
    path("alert-sources/", source_views.source_list, name="source-list"),
    path("alert-sources/new/", source_views.source_create, name="source-create"),
    path("alert-sources/<int:pk>/", source_views.source_detail, name="source-detail"),
    path("alert-sources/<int:pk>/edit/", source_views.source_edit, name="source-edit"),
    path("alert-sources/<int:pk>/rotate/", source_views.source_rotate, name="source-rotate"),
]
