from django.urls import path

from motcua.dossiers import bundle_views, online_views, views

app_name = "dossiers"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("tiep-nhan/", views.receive, name="receive"),
    path("tiep-nhan/lien-thong/<int:bundle_id>/", bundle_views.receive_bundle, name="receive_bundle"),
    path("ho-so-lien-thong/<int:pk>/", bundle_views.application, name="application"),
    path("ho-so-lien-thong/<int:pk>/<slug:action>/", bundle_views.application_action, name="application_action"),
    path("truc-tuyen/", online_views.online_queue, name="online_queue"),
    path("truc-tuyen/<int:pk>/", online_views.online_review, name="online_review"),
    path("truc-tuyen/<int:pk>/<slug:action>/", online_views.online_action, name="online_action"),
    path("ho-so/<int:pk>/", views.detail, name="detail"),
    path("ho-so/<int:pk>/giay-to/<int:document_id>/", views.document, name="document"),
    path("ho-so/<int:pk>/ket-qua/", views.result_file, name="result_file"),
    path("ho-so/<int:pk>/<slug:action>/", views.action, name="action"),
]
