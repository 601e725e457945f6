from django.urls import path

from motcua.portal import (
    account_views, lookup_views, payment_views, satisfaction_views, submission_views, views,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.catalogue, name="catalogue"),
    path("thu-tuc/<str:code>/", views.procedure, name="procedure"),
    path("tra-cuu/", lookup_views.lookup, name="lookup"),
    path("danh-gia/<str:code>/", satisfaction_views.rate, name="rate"),
    path("danh-gia/<str:code>/tai-quay/", satisfaction_views.rate_counter, name="rate_counter"),
    path("muc-do-hai-long/", satisfaction_views.published, name="satisfaction"),
    path("thu-tuc/<str:code>/nop-truc-tuyen/", submission_views.submit_online, name="submit_online"),
    # citizen accounts
    path("tai-khoan/dang-ky/", account_views.register, name="register"),
    path("tai-khoan/xac-minh/", account_views.verify, name="verify"),
    path("tai-khoan/xac-minh/<str:token>/", account_views.verify_email, name="verify_email"),
    path("tai-khoan/", account_views.profile, name="profile"),
    path("tai-khoan/quen-mat-khau/", account_views.password_reset, name="password_reset"),
    path("tai-khoan/quen-mat-khau/da-gui/", account_views.password_reset_done, name="password_reset_done"),
    path("tai-khoan/dat-lai-mat-khau/<uidb64>/<token>/", account_views.password_reset_confirm,
         name="password_reset_confirm"),
    path("tai-khoan/dat-lai-mat-khau/xong/", account_views.password_reset_complete, name="password_reset_complete"),
    # online submission and my dossiers
    path("nop-truc-tuyen/<int:pk>/", submission_views.draft, name="draft"),
    path("nop-truc-tuyen/<int:pk>/xoa/", submission_views.draft_delete, name="draft_delete"),
    path("nop-truc-tuyen/<int:pk>/tep/<int:file_id>/", submission_views.draft_file, name="draft_file"),
    path("ho-so-cua-toi/", submission_views.my_dossiers, name="my_dossiers"),
    path("ho-so-cua-toi/<int:pk>/", submission_views.my_dossier, name="my_dossier"),
    path("ho-so-cua-toi/<int:pk>/bien-nhan/", submission_views.receipt, name="receipt"),
    path("ho-so-cua-toi/<int:pk>/bo-sung/", submission_views.my_supplement, name="my_supplement"),
    path("ho-so-cua-toi/<int:pk>/giay-to/<int:document_id>/", submission_views.my_document, name="my_document"),
    path("ho-so-cua-toi/<int:pk>/ket-qua/", submission_views.my_result, name="my_result"),
    # Online payment and the postal service of a citizen's own dossier (issue 4).
    path("thanh-toan/ho-so/<int:pk>/", payment_views.pay, name="pay"),
    path("thanh-toan/ho-so/<int:pk>/kiem-tra/", payment_views.check, name="payment_check"),
    path("thanh-toan/ho-so/<int:pk>/bien-lai/", payment_views.receipt, name="payment_receipt"),
    path("thanh-toan/ho-so/<int:pk>/bien-lai.pdf", payment_views.receipt_pdf, name="payment_receipt_pdf"),
    path("thanh-toan/tra-ve/<slug:gateway>/", payment_views.payment_return, name="payment_return"),
    path("thanh-toan/thong-bao/<slug:gateway>/", payment_views.callback, name="payment_callback"),
    path("buu-chinh/ho-so/<int:pk>/", payment_views.postal_options, name="postal"),
    path("sandbox-thanh-toan/", payment_views.sandbox_pay, name="sandbox_pay"),
]
