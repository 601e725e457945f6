"""Forms of the feedback pages: they only parse input; every rule is checked by ``services``."""
from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.feedback.models import Category
from motcua.orgs.models import Agency


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _styled(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.RadioSelect):
            continue
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class SendForm(forms.Form):
    category = CategoryChoiceField(label=_("Loại phản ánh, kiến nghị"), queryset=Category.objects.none(),
                                   empty_label=_("— Chọn loại phản ánh —"), required=False)
    procedure = forms.CharField(label=_("Thủ tục hành chính liên quan (mã hoặc tên thủ tục)"), required=False,
                                max_length=200)
    dossier_code = forms.CharField(label=_("Mã hồ sơ (in trên giấy tiếp nhận và hẹn trả kết quả)"), required=False,
                                   max_length=60)
    concerned_agency = AgencyChoiceField(label=_("Cơ quan nơi cán bộ, công chức công tác"),
                                         queryset=Agency.objects.none(), required=False,
                                         empty_label=_("— Chọn cơ quan —"))
    official_name = forms.CharField(label=_("Họ tên hoặc chức vụ cán bộ (nếu biết)"), required=False,
                                    max_length=150)
    title = forms.CharField(label=_("Tiêu đề"), required=False, max_length=200)
    description = forms.CharField(label=_("Nội dung phản ánh, kiến nghị"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 6, "maxlength": 4000}))
    attachments = MultipleFileField(label=_("Tệp đính kèm (PDF, JPEG, PNG; tối đa 5 tệp, mỗi tệp 10 MB)"),
                                    required=False)
    sender_name = forms.CharField(label=_("Họ và tên"), required=False, max_length=150)
    sender_phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=20,
                                   widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    sender_email = forms.CharField(label=_("Thư điện tử"), required=False, max_length=254,
                                   widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    address = forms.CharField(label=_("Địa chỉ liên hệ"), required=False, max_length=300)
    verify_by = forms.ChoiceField(label=_("Nhận mã xác thực qua"), required=False, widget=forms.RadioSelect,
                                  choices=[("sms", _("Tin nhắn SMS")), ("email", _("Thư điện tử"))], initial="sms")
    publish_identity = forms.BooleanField(label=_("Tôi đồng ý công khai họ tên của mình cùng câu trả lời"),
                                          required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).order_by("order", "code")
        self.fields["concerned_agency"].queryset = Agency.objects.filter(is_active=True).order_by("code")
        _styled(self)
        self.fields["category"].widget.attrs["data-subject-select"] = "1"

    def category_subjects(self):
        return {str(c.pk): c.subject for c in self.fields["category"].queryset}


class VerifyForm(forms.Form):
    secret = forms.CharField(label=_("Mã xác thực (6 chữ số)"), max_length=6, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                           "pattern": "[0-9]*"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class TrackForm(forms.Form):
    ma = forms.CharField(label=_("Mã phản ánh"), max_length=30, required=False)
    lh = forms.CharField(label=_("4 số cuối điện thoại hoặc địa chỉ thư điện tử"), max_length=254, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class PublicSearchForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                                      "placeholder": _("Ví dụ: trễ hẹn, lý lịch tư pháp")}))
    loai = forms.ModelChoiceField(label=_("Loại phản ánh"), queryset=Category.objects.none(), required=False,
                                  to_field_name="code", empty_label=_("Tất cả"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loai"].queryset = Category.objects.order_by("order", "code")
        self.fields["loai"].label_from_instance = lambda c: c.name
        _styled(self)


# ---------------------------------------------------------------- desk action forms


class RouteForm(forms.Form):
    category = CategoryChoiceField(label=_("Loại phản ánh"), queryset=Category.objects.none())
    agency = AgencyChoiceField(label=_("Cơ quan xử lý, trả lời"), queryset=Agency.objects.none())
    note = forms.CharField(label=_("Ghi chú chuyển xử lý"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(is_active=True).order_by("order", "code")
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).order_by("code")
        _styled(self)


class MergeForm(forms.Form):
    into_code = forms.CharField(label=_("Mã phản ánh trùng nội dung (được giữ lại)"), max_length=30)
    note = forms.CharField(label=_("Ghi chú"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Nội dung trả lời"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    publish = forms.BooleanField(label=_("Công khai câu trả lời trên Cổng dịch vụ công (không kèm thông tin cá "
                                         "nhân nếu người gửi không đồng ý)"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _styled(self)


class ForwardForm(forms.Form):
    agency = AgencyChoiceField(label=_("Cơ quan cấp trên"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_("Lý do chuyển"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("code")
        _styled(self)
