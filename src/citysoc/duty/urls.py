from django.urls import path

from citysoc.duty import log_views, views

app_name = "duty"

urlpatterns = [
    path("", views.home, name="home"),
    path("board/", views.board, name="board"),
    path("rosters/new/", views.roster_edit, name="roster-create"),
    path("rosters/<int:pk>/", views.roster_detail, name="roster-detail"),
    path("rosters/<int:pk>/edit/", views.roster_edit, name="roster-edit"),
    path("rosters/<int:pk>/layers/new/", views.layer_create, name="layer-create"),
    path("rosters/<int:pk>/shifts/new/", views.shift_create, name="shift-create"),
    path("rosters/<int:pk>/overrides/new/", views.override_create, name="override-create"),
    path("rosters/<int:pk>/swaps/new/", views.swap_create, name="swap-create"),
    path("layers/<int:pk>/delete/", views.layer_delete, name="layer-delete"),
    path("shifts/<int:pk>/edit/", views.shift_edit, name="shift-edit"),
    path("shifts/<int:pk>/delete/", views.shift_delete, name="shift-delete"),
    path("overrides/<int:pk>/delete/", views.override_delete, name="override-delete"),
    path("swaps/<int:pk>/", views.swap_detail, name="swap-detail"),
    path("log/", log_views.log, name="log"),
    path("log/export.docx", log_views.log_docx, name="log-docx"),
    path("log/export.pdf", log_views.log_pdf, name="log-pdf"),
    path("handovers/new/", log_views.handover_create, name="handover-create"),
    path("handovers/<int:pk>/", log_views.handover_detail, name="handover-detail"),
    path("people/<int:pk>/calendar/", views.person_calendar, name="person-calendar"),
    path("ical/<str:token>.ics", views.ical, name="ical"),
]
