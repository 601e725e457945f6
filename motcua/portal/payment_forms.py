"""Forms of the payment and postal pages: they only parse input; the rules are in the services."""
from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import PostalZone


class PostalForm(forms.Form):
    row_version = forms.IntegerField(widget=forms.HiddenInput())
    send_documents = forms.BooleanField(label=_("Tôi gửi bản giấy của hồ sơ qua bưu chính công ích"),
                                        required=False)
    return_by_post = forms.BooleanField(label=_("Tôi muốn nhận kết quả qua bưu chính công ích"), required=False)
    postal_address = forms.CharField(label=_("Địa chỉ nhận kết quả (số nhà, đường, phường/xã, tỉnh)"),
                                     max_length=300, required=False,
                                     widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    postal_zone = forms.ChoiceField(label=_("Nơi nhận bưu gửi"), choices=PostalZone.choices,
                                    initial=PostalZone.IN_PROVINCE,
                                    widget=forms.RadioSelect(attrs={"class": "form-check-input"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("postal_address",):
            self.fields[name].widget.attrs["class"] = "form-control"
        for name in ("send_documents", "return_by_post"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class SandboxDecisionForm(forms.Form):
    reference = forms.CharField(max_length=40, widget=forms.HiddenInput())
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("cancel", "cancel")])
