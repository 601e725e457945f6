"""Citizen account pages: register, verify (email link, SMS code), profile, password reset.

Thin views: the form parses, ``accounts`` decides, a refusal shows its Vietnamese message.
"""
from django.contrib import messages
from django.contrib.auth import login, views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from motcua.portal import accounts
from motcua.portal.account_forms import EditProfileForm, RegisterForm, SmsCodeForm
from motcua.portal.models import CitizenProfile, VerificationCode

BACKEND = "motcua.portal.backends.EmailOrPhoneBackend"


def _profile_data(cleaned):
    return accounts.ProfileData(kind=cleaned["kind"], full_name=cleaned["full_name"], id_number=cleaned["id_number"],
                                organisation_name=cleaned["organisation_name"], email=cleaned["email"],
                                phone=cleaned["phone"], address=cleaned["address"])


def register(request):
    if request.user.is_authenticated:
        return redirect("portal:my_dossiers")
    form = RegisterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                profile = accounts.register(_profile_data(data), data["password1"], data["password2"])
            except accounts.AccountError as error:
                messages.error(request, error.message)
                for problem in form.apply_errors(error.field_errors):
                    messages.error(request, problem)
            else:
                login(request, profile.user, backend=BACKEND)
                messages.success(request, _("Đã tạo tài khoản. Vui lòng xác minh thư điện tử hoặc số điện thoại để "
                                            "có thể nộp hồ sơ trực tuyến."))
                return redirect("portal:verify")
        else:
            messages.error(request, _("Thông tin đăng ký chưa hợp lệ; vui lòng kiểm tra các ô được đánh dấu."))
    return render(request, "portal/account/register.html", {"form": form}, status=status)


def _citizen_or_redirect(request):
    profile = accounts.profile_of(request.user)
    if profile is None:
        messages.info(request, _("Tài khoản cán bộ không có hồ sơ công dân; trang này dành cho công dân, tổ chức."))
    return profile


@login_required
def verify(request):
    profile = _citizen_or_redirect(request)
    if profile is None:
        return redirect("portal:home")
    form = SmsCodeForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "sms_code":
                form = SmsCodeForm(request.POST)
                if form.is_valid():
                    accounts.verify_sms(request.user, form.cleaned_data["code"])
                    messages.success(request, _("Đã xác minh số điện thoại. Tài khoản đã có thể nộp hồ sơ trực tuyến."))
                    wanted = request.GET.get("next", "")
                    safe = url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()},
                                                           require_https=request.is_secure())
                    return redirect(wanted if wanted and safe else "portal:my_dossiers")
                status = 400
            elif action in ("resend_email", "resend_sms"):
                channel = VerificationCode.Channel.EMAIL if action == "resend_email" else VerificationCode.Channel.SMS
                accounts.send_verification(request.user, channel)
                messages.success(request, _("Đã gửi lại liên kết xác minh tới thư điện tử của bạn.")
                                 if channel == VerificationCode.Channel.EMAIL
                                 else _("Đã gửi lại mã xác minh qua tin nhắn."))
                return redirect("portal:verify")
        except accounts.AccountError as error:
            messages.error(request, error.message)
            form.apply_errors({k: v for k, v in error.field_errors.items() if k in form.fields})
            status = 400
    profile = accounts.profile_of(request.user)
    return render(request, "portal/account/verify.html", {"profile": profile, "form": form}, status=status)


def verify_email(request, token):
    try:
        user = accounts.verify_email(token)
    except accounts.AccountError as error:
        messages.error(request, error.message)
        return render(request, "portal/account/verify_failed.html", status=400)
    messages.success(request, _("Đã xác minh thư điện tử. Tài khoản đã có thể nộp hồ sơ trực tuyến."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("portal:my_dossiers")
    return redirect("login")


@login_required
def profile(request):
    profile = _citizen_or_redirect(request)
    if profile is None:
        return redirect("portal:home")
    user = request.user
    initial = {"kind": profile.kind, "full_name": user.full_name, "id_number": profile.id_number,
               "organisation_name": profile.organisation_name, "email": user.email, "phone": user.phone,
               "address": profile.address, "row_version": profile.row_version}
    form = EditProfileForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                accounts.update_profile(user, form.cleaned_data["row_version"], _profile_data(form.cleaned_data))
            except accounts.StaleProfile as error:
                messages.error(request, error.message)
                return redirect("portal:profile")
            except accounts.AccountError as error:
                messages.error(request, error.message)
                for problem in form.apply_errors(error.field_errors):
                    messages.error(request, problem)
            else:
                messages.success(request, _("Đã lưu thông tin tài khoản."))
                fresh = CitizenProfile.objects.get(user_id=user.pk)
                if not fresh.is_verified:
                    messages.warning(request, _("Thư điện tử hoặc số điện thoại đã thay đổi: vui lòng xác minh lại."))
                    return redirect("portal:verify")
                return redirect("portal:profile")
        else:
            messages.error(request, _("Thông tin chưa hợp lệ; vui lòng kiểm tra các ô được đánh dấu."))
    return render(request, "portal/account/profile.html", {"form": form, "profile": profile}, status=status)


# Django's password reset, with our Vietnamese templates (reset by the account's email).
password_reset = auth_views.PasswordResetView.as_view(
    template_name="portal/account/password_reset_form.html",
    email_template_name="portal/account/password_reset_email.txt",
    subject_template_name="portal/account/password_reset_subject.txt",
    success_url=reverse_lazy("portal:password_reset_done"))
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="portal/account/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="portal/account/password_reset_confirm.html",
    success_url=reverse_lazy("portal:password_reset_complete"))
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="portal/account/password_reset_complete.html")

