from django.urls import path

from motcua.forms_print import views

app_name = "forms_print"
urlpatterns = [
    path("giay-tiep-nhan/<int:pk>.pdf", views.receipt, name="receipt"),
    path("phieu-yeu-cau-bo-sung/<int:pk>.pdf", views.supplement, name="supplement"),
    path("phieu-tu-choi/<int:pk>.pdf", views.refusal, name="refusal"),
    path("phieu-tu-choi-tiep-nhan/<int:pk>.pdf", views.reception_refusal, name="reception_refusal"),
    path("van-ban-xin-loi/<int:pk>.pdf", views.apology, name="apology"),
    path("thong-bao-dung/<int:pk>.pdf", views.stop, name="stop"),
    path("phieu-kiem-soat/<int:pk>.pdf", views.control_sheet, name="control_sheet"),
    path("so-theo-doi/", views.tracking_book, name="tracking_book"),
    path("lien-thong/giay-tiep-nhan/<int:pk>.pdf", views.bundle_receipt, name="bundle_receipt"),
    path("lien-thong/phieu-chuyen/<int:pk>.pdf", views.bundle_transfer, name="bundle_transfer"),
]
