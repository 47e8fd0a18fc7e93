from django.urls import path

from citysoc.directives import views

app_name = "directives"

urlpatterns = [
    path("", views.home, name="home"),
    path("list/", views.directive_list, name="directive-list"),
    path("new/", views.directive_create, name="directive-create"),
    path("from-template/", views.directive_from_template, name="directive-template"),
    path("<int:pk>/", views.directive_detail, name="directive-detail"),
    path("<int:pk>/edit/", views.directive_edit, name="directive-edit"),
    path("<int:pk>/issue/", views.directive_issue, name="directive-issue"),
    path("<int:pk>/matrix/", views.directive_matrix, name="directive-matrix"),
    path("<int:pk>/docx/", views.directive_docx, name="directive-docx"),
    path(
        "<int:pk>/report/docx/",
        views.directive_report,
        {"fmt": "docx"},
        name="directive-report-docx",
    ),
    path(
        "<int:pk>/report/pdf/",
        views.directive_report,
        {"fmt": "pdf"},
        name="directive-report-pdf",
    ),
    path(
        "<int:pk>/report/xlsx/",
        views.directive_report,
        {"fmt": "xlsx"},
        name="directive-report-xlsx",
    ),
    path("assignments/", views.assignment_list, name="assignment-list"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment-detail"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
]
