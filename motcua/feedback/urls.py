from django.urls import path

from motcua.feedback import views

app_name = "feedback"
urlpatterns = [
    path("", views.public_list, name="public_list"),
    path("gui/", views.send, name="send"),
    path("xac-thuc/<str:code>/", views.verify, name="verify"),
    path("tra-cuu/", views.track, name="track"),
    path("cong-khai/<str:code>/", views.public_detail, name="public_detail"),
    path("quan-ly/", views.desk_list, name="desk_list"),
    path("quan-ly/<int:pk>/", views.desk_detail, name="desk_detail"),
    path("quan-ly/<int:pk>/tep/<int:attachment_id>/", views.desk_attachment, name="desk_attachment"),
    path("quan-ly/<int:pk>/<slug:action>/", views.desk_action, name="desk_action"),
]
