from django.urls import path

from citysoc.isps import views

app_name = "isps"

urlpatterns = [
    path("", views.request_list, name="request-list"),
    path("new/", views.request_create, name="request-create"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/letter.docx", views.request_letter, name="request-letter"),
    path("proof/<int:pk>/", views.proof_download, name="proof-download"),
]
