from django.urls import path

from citysoc.core import views, work_views

app_name = "core"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("units/", views.unit_list, name="unit-list"),
    path("units/new/", views.unit_create, name="unit-create"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("audit/", views.audit_list, name="audit-list"),
    path("work/", work_views.work_page, name="my-work"),
    # Browsers, feed readers and bookmarks ask for /favicon.ico whatever the page links.
    path("favicon.ico", views.favicon, name="favicon"),
]
