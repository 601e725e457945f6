"""Forms of the citizen account pages: they parse input; the rules are in ``accounts``."""
from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import ApplicantKind


class StyledForm(forms.Form):
    """Bootstrap classes on every widget, so templates render fields with one include."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                continue
            widget.attrs.setdefault("class", "form-select" if isinstance(widget, forms.Select) else "form-control")

    def apply_errors(self, field_errors):
        """Show a service's field errors under the matching inputs; returns the ones without an input."""
        rest = []
        for name, message in field_errors.items():
            if name in self.fields:
                self.add_error(name, message)
            else:
                rest.append(message)
        return rest


class ProfileForm(StyledForm):
    kind = forms.ChoiceField(label=_("Đăng ký cho"), choices=ApplicantKind.choices, initial=ApplicantKind.INDIVIDUAL,
                             widget=forms.RadioSelect)
    full_name = forms.CharField(label=_("Họ và tên (người đại diện nếu là tổ chức)"), max_length=150,
                                required=False, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(label=_("Số định danh cá nhân (12 số) hoặc mã số thuế của tổ chức"), max_length=20,
                                required=False, widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                               "autocomplete": "off"}))
    organisation_name = forms.CharField(label=_("Tên tổ chức (nếu đăng ký cho tổ chức)"), max_length=300,
                                        required=False, widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Số điện thoại di động"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=300, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))


class RegisterForm(ProfileForm):
    password1 = forms.CharField(label=_("Mật khẩu (ít nhất 8 ký tự, không chỉ gồm chữ số)"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Nhập lại mật khẩu"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class EditProfileForm(ProfileForm):
    row_version = forms.IntegerField(widget=forms.HiddenInput)


class SmsCodeForm(StyledForm):
    code = forms.CharField(label=_("Mã xác minh gồm 6 chữ số đã gửi qua tin nhắn"), max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
                           error_messages={"required": _("Vui lòng nhập mã xác minh."),
                                           "min_length": _("Mã xác minh gồm 6 chữ số.")})
