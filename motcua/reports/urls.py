from django.urls import path

from motcua.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tong-hop/", views.table, name="table"),
    path("ho-so/", views.dossiers, name="dossiers"),
    path("cong-khai/", views.board, name="board"),
]
