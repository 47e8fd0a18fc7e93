from django.urls import path

from citysoc.awareness import tracking, views

app_name = "awareness"

urlpatterns = [
    path("", views.home, name="home"),
    path("courses/", views.course_list, name="course-list"),
    path("courses/<int:pk>/", views.course_detail, name="course-detail"),
    path("courses/<int:pk>/quiz/", views.course_quiz, name="course-quiz"),
    path(
        "enrolments/<int:pk>/certificate/",
        views.enrolment_certificate,
        name="enrolment-certificate",
    ),
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/new/", views.programme_new, name="programme-new"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme-detail"),
    path("drills/", views.drill_list, name="drill-list"),
    path("drills/new/", views.drill_new, name="drill-new"),
    path("drills/<int:pk>/", views.drill_detail, name="drill-detail"),
    path("drills/<int:pk>/send/", views.drill_send, name="drill-send"),
    path("drills/<int:pk>/finish/", views.drill_finish, name="drill-finish"),
    path("people/<int:pk>/", views.person_history, name="person-history"),
    path("scam-check/", views.scam_check, name="scam-check"),
    path("public/scam-check/", views.public_scam_check, name="public-scam-check"),
    path("t/<str:rid>/o.gif", tracking.opened, name="track-open"),
    path("t/<str:rid>/", tracking.clicked, name="track-click"),
    path("t/<str:rid>/submit/", tracking.submitted, name="track-submit"),
    path("t/<str:rid>/report/", tracking.reported, name="track-report"),
]
