from django.urls import path

from citysoc.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.channel_list, name="channel-list"),
    path("channels/new/", views.channel_create, name="channel-create"),
    path("channels/<int:pk>/edit/", views.channel_edit, name="channel-edit"),
    path("channels/<int:pk>/test/", views.channel_test, name="channel-test"),
    path("outbox/", views.outbox_list, name="outbox"),
    path("messages/<int:pk>/", views.message_detail, name="message-detail"),
]
