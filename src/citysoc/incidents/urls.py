from django.urls import path

from citysoc.incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.home, name="home"),
    path("city/", views.city, name="city"),
    path("new/", views.new, name="new"),
    path("open-from/", views.open_from, name="open-from"),
    path("search/", views.search, name="search"),
    path("summary/", views.summary, name="summary"),
    path("profile/", views.profile, name="profile"),
    path("playbooks/", views.playbook_list, name="playbook-list"),
    path("playbooks/<slug:kind>/", views.playbook_edit, name="playbook-edit"),
    path("contacts/", views.contact_list, name="contacts"),
    path("reports/<int:pk>/docx/", views.report_file, {"fmt": "docx"}, name="report-docx"),
    path("reports/<int:pk>/pdf/", views.report_file, {"fmt": "pdf"}, name="report-pdf"),
    path("evidence-files/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
]
