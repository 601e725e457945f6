"""The online application form, built from the procedure version's required documents."""
from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.forms import MultipleFileField
from motcua.dossiers.models import ApplicantKind
from motcua.portal.account_forms import StyledForm

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class DraftForm(StyledForm):
    row_version = forms.IntegerField(widget=forms.HiddenInput)
    applicant_kind = forms.ChoiceField(label=_("Người nộp là"), choices=ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=200, required=False,
                                     widget=forms.TextInput(attrs={"autocomplete": "name"}))
    applicant_id_number = forms.CharField(label=_("Số định danh cá nhân (12 số) / mã số thuế"), max_length=20,
                                          required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    organisation_name = forms.CharField(label=_("Tên tổ chức (nếu người nộp là tổ chức)"), max_length=300,
                                        required=False)
    applicant_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    applicant_email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False,
                                      widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False,
                                        widget=forms.TextInput(attrs={"autocomplete": "street-address"}))
    competent_agency = forms.TypedChoiceField(label=_("Cơ quan giải quyết"), coerce=int, required=False,
                                              empty_value=None)
    receiving_agency = forms.TypedChoiceField(label=_("Nơi tiếp nhận hồ sơ và trả kết quả"), coerce=int,
                                              required=False, empty_value=None)
    return_method = forms.ChoiceField(label=_("Hình thức nhận kết quả"), widget=forms.RadioSelect)
    postal_address = forms.CharField(label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=300, required=False)
    note = forms.CharField(label=_("Ghi chú gửi cán bộ tiếp nhận (nếu có)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, documents, competent, centres, methods, locked_agencies=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.documents = list(documents)
        self.fields["competent_agency"].choices = [("", _("— Chọn cơ quan giải quyết —"))] + [
            (a.pk, a.name) for a in competent]
        self.fields["receiving_agency"].choices = [("", _("— Chọn nơi tiếp nhận —"))] + [
            (c.pk, c.name) for c in centres]
        self.fields["return_method"].choices = methods
        if locked_agencies:
            self.fields["competent_agency"].disabled = True
            self.fields["receiving_agency"].disabled = True
        for doc in self.documents:
            self.fields[f"doc_{doc.pk}"] = forms.FileField(
                label=doc.name, required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "form-control"}))

    def document_rows(self, stored):
        """(required document, bound file field, file already uploaded or None) in the version's order."""
        return [(doc, self[f"doc_{doc.pk}"], stored.get(doc.pk)) for doc in self.documents]

    def uploads(self):
        return {doc.pk: self.cleaned_data[f"doc_{doc.pk}"] for doc in self.documents
                if self.cleaned_data.get(f"doc_{doc.pk}")}


class SupplementForm(StyledForm):
    row_version = forms.IntegerField(widget=forms.HiddenInput)
    files = MultipleFileField(label=_("Tệp giấy tờ bổ sung (PDF, JPEG hoặc PNG; có thể chọn nhiều tệp)"),
                              required=False)
    note = forms.CharField(label=_("Ghi chú (nếu có)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].widget.attrs.update({"accept": ACCEPT, "class": "form-control"})
