from django.urls import path

from citysoc.vulns import views

app_name = "vulns"

urlpatterns = [
    path("", views.home, name="home"),
]
