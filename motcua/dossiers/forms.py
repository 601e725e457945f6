"""Forms of the staff desk: they only parse what the official typed.

Every rule (valid citizen ID, complete documents, who may act) is checked by
``services``; these forms turn POST data into the values the services take and
carry the services' field errors back to the page.
"""
from django import forms
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.models import ApplicantKind, BundleMode, Channel, PostalZone, ReturnMethod

DATE_INPUT = ["%d/%m/%Y"]
DATETIME_INPUT = ["%d/%m/%Y %H:%M", "%H:%M %d/%m/%Y", "%d/%m/%Y"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input that accepts several files; cleans to a list (possibly empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class BootstrapForm(forms.Form):
    """Adds Bootstrap 5 classes to the widgets so templates can render fields generically."""

    def style_widgets(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css


def add_document_fields(form, documents, prefix: str = "") -> list[dict]:
    """Received / originals / copies / scan fields for each required document; rows for the template."""
    rows = []
    for doc in documents:
        name = f"{prefix}doc_{doc.pk}"
        form.fields[f"{name}_received"] = forms.BooleanField(label=_("Đã nhận"), required=False,
                                                             initial=doc.mandatory)
        form.fields[f"{name}_originals"] = forms.IntegerField(
            label=_("Số bản chính"), min_value=0, max_value=99, initial=doc.originals, required=False)
        form.fields[f"{name}_copies"] = forms.IntegerField(
            label=_("Số bản sao"), min_value=0, max_value=99, initial=doc.copies, required=False)
        form.fields[f"{name}_file"] = forms.FileField(
            label=_("Bản quét (PDF, JPEG, PNG)"), required=False,
            widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        rows.append({"document": doc, "received": form[f"{name}_received"], "originals": form[f"{name}_originals"],
                     "copies": form[f"{name}_copies"], "file": form[f"{name}_file"]})
    return rows


def received_documents(cleaned_data, documents, received_document_class, prefix: str = "") -> list:
    """The ticked documents as ``services.ReceivedDocument`` values."""
    received = []
    for doc in documents:
        name = f"{prefix}doc_{doc.pk}"
        if not cleaned_data.get(f"{name}_received"):
            continue
        received.append(received_document_class(
            name=doc.name, required_id=doc.pk, originals=cleaned_data.get(f"{name}_originals") or 0,
            copies=cleaned_data.get(f"{name}_copies") or 0, upload=cleaned_data.get(f"{name}_file") or None))
    return received


class ApplicantForm(BootstrapForm):
    """The applicant, the channel and how the result goes back: shared by single and bundle receptions."""

    receiving_agency = forms.ModelChoiceField(label=_("Nơi tiếp nhận"), queryset=None,
                                              empty_label=_("— Chọn nơi tiếp nhận —"))
    applicant_kind = forms.ChoiceField(label=_("Người nộp là"), choices=ApplicantKind.choices,
                                       initial=ApplicantKind.INDIVIDUAL)
    applicant_name = forms.CharField(label=_("Họ tên người nộp"), max_length=200, required=False)
    applicant_id_number = forms.CharField(label=_("Số định danh cá nhân (12 số) / mã số thuế"), max_length=20,
                                          required=False,
                                          widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                                        "autocomplete": "off"}))
    organisation_name = forms.CharField(label=_("Tên tổ chức (nếu người nộp là tổ chức)"), max_length=300,
                                        required=False)
    applicant_phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False,
                                      widget=forms.TextInput(attrs={"inputmode": "tel"}))
    applicant_email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False,
                                      widget=forms.EmailInput())
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"),
                                choices=[(Channel.COUNTER, Channel.COUNTER.label), (Channel.POST, Channel.POST.label)],
                                initial=Channel.COUNTER)
    return_method = forms.ChoiceField(label=_("Hình thức nhận kết quả"), choices=ReturnMethod.choices,
                                      initial=ReturnMethod.COUNTER)
    postal_address = forms.CharField(label=_("Địa chỉ nhận kết quả qua bưu chính"), max_length=300, required=False)
    incoming_tracking = forms.CharField(label=_("Mã vận đơn bưu gửi hồ sơ (khi nhận qua bưu chính)"), max_length=60,
                                        required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    postal_zone = forms.ChoiceField(label=_("Vùng chuyển phát (tính cước bưu chính)"), choices=PostalZone.choices,
                                    initial=PostalZone.IN_PROVINCE, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, receiving_agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_agency"].queryset = receiving_agencies
        if len(receiving_agencies) == 1:
            self.fields["receiving_agency"].initial = receiving_agencies[0].pk

    def clean_postal_zone(self):
        return self.cleaned_data.get("postal_zone") or PostalZone.IN_PROVINCE

    def applicant(self, applicant_class):
        data = self.cleaned_data
        return applicant_class(
            name=data["applicant_name"], id_number=data["applicant_id_number"], kind=data["applicant_kind"],
            organisation_name=data["organisation_name"], phone=data["applicant_phone"],
            email=data["applicant_email"], address=data["applicant_address"])


class ReceptionForm(ApplicantForm):
    """The counter reception screen for one procedure version (step 2 of the reception page)."""

    competent_agency = forms.ModelChoiceField(label=_("Cơ quan giải quyết"), queryset=None,
                                              empty_label=_("— Chọn cơ quan giải quyết —"))
    fee_amount = forms.IntegerField(label=_("Phí, lệ phí đã thu (đồng)"), min_value=0, initial=0,
                                    error_messages={"invalid": _("Phí, lệ phí phải là số nguyên (đồng)."),
                                                    "min_value": _("Phí, lệ phí không được âm."),
                                                    "required": _("Vui lòng nhập phí, lệ phí (0 nếu miễn).")})
    reason = forms.CharField(label=_("Lý do không tiếp nhận / nội dung hướng dẫn bổ sung"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, version, competent_agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.required_documents = list(version.documents.all())
        self.fields["competent_agency"].queryset = competent_agencies
        if len(competent_agencies) == 1:
            self.fields["competent_agency"].initial = competent_agencies[0].pk
        self.fields["fee_amount"].initial = version.fee_amount
        self.document_rows = add_document_fields(self, self.required_documents)
        self.style_widgets()

    def received_documents(self, received_document_class):
        return received_documents(self.cleaned_data, self.required_documents, received_document_class)


class BundleReceptionForm(ApplicantForm):
    """One application for a procedure bundle: the shared applicant, then one block per procedure."""

    mode = forms.ChoiceField(label=_("Cách luân chuyển giữa các cơ quan"), choices=BundleMode.choices,
                             initial=BundleMode.SEQUENTIAL)
    lead_agency = forms.ModelChoiceField(label=_("Cơ quan chủ trì (hồ sơ điện tử)"), queryset=None, required=False,
                                         empty_label=_("— Cơ quan giải quyết thủ tục đầu tiên —"))

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = versions
        self.part_blocks = []
        agency_ids = set()
        receiving = list(self.fields["receiving_agency"].queryset)
        local_units = {a.unit_id for a in receiving} if len(receiving) == 1 else set()
        for version in versions:
            prefix = f"p{version.pk}_"
            agencies = list(version.agencies.order_by("name"))
            agency_ids |= {a.pk for a in agencies}
            # A commune procedure received at a commune centre is usually that commune's to decide.
            local = [a for a in agencies if a.unit_id in local_units]
            initial = agencies[0] if len(agencies) == 1 else local[0] if len(local) == 1 else None
            self.fields[f"{prefix}include"] = forms.BooleanField(label=_("Tiếp nhận thủ tục này"), required=False,
                                                                 initial=True)
            self.fields[f"{prefix}competent"] = forms.ModelChoiceField(
                label=_("Cơ quan giải quyết"), queryset=version.agencies.order_by("name"),
                empty_label=_("— Chọn cơ quan giải quyết —"), required=False,
                initial=initial.pk if initial else None)
            self.fields[f"{prefix}fee"] = forms.IntegerField(
                label=_("Phí, lệ phí đã thu (đồng)"), min_value=0, initial=version.fee_amount, required=False,
                error_messages={"invalid": _("Phí, lệ phí phải là số nguyên (đồng)."),
                                "min_value": _("Phí, lệ phí không được âm.")})
            documents = list(version.documents.all())
            self.part_blocks.append({
                "version": version, "key": f"part_{version.pk}", "documents": documents,
                "include": self[f"{prefix}include"], "competent": self[f"{prefix}competent"],
                "fee": self[f"{prefix}fee"], "rows": add_document_fields(self, documents, prefix)})
        from motcua.orgs.models import Agency
        self.fields["lead_agency"].queryset = Agency.objects.filter(pk__in=agency_ids).order_by("name")
        self.style_widgets()

    def clean(self):
        data = super().clean()
        for block in self.part_blocks:
            prefix = f"p{block['version'].pk}_"
            if data.get(f"{prefix}include") and not data.get(f"{prefix}competent"):
                self.add_error(f"{prefix}competent", _("Vui lòng chọn cơ quan giải quyết."))
        return data

    def bundle_parts(self, part_class, received_document_class) -> list:
        parts = []
        for block in self.part_blocks:
            version, prefix = block["version"], f"p{block['version'].pk}_"
            if not self.cleaned_data.get(f"{prefix}include"):
                continue
            parts.append(part_class(
                procedure_version=version, competent_agency=self.cleaned_data[f"{prefix}competent"],
                documents=received_documents(self.cleaned_data, block["documents"], received_document_class, prefix),
                fee_amount=self.cleaned_data.get(f"{prefix}fee") or 0))
        return parts


class ApplicationActionForm(BootstrapForm):
    """An action on a whole bundle application, stating the version the official saw."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput())
    note = forms.CharField(label=_("Ghi chú / lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.ChoiceField(label=_("Hình thức trả kết quả"), choices=ReturnMethod.choices, required=False,
                               initial=ReturnMethod.COUNTER)
    tracking = forms.CharField(label=_("Mã vận đơn (khi gửi qua bưu chính)"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


# ---------------------------------------------------------------- action forms (detail page)


class ActionForm(BootstrapForm):
    """Every action form carries the row_version the official saw (optimistic lock)."""

    row_version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Ý kiến xử lý"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SendBackForm(ActionForm):
    to_order = forms.TypedChoiceField(label=_("Trả về bước"), coerce=int, choices=())
    reason = forms.CharField(label=_("Lý do trả lại"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, step_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_order"].choices = list(step_choices)


class SupplementRequestForm(ActionForm):
    items = forms.CharField(label=_("Giấy tờ, nội dung cần bổ sung (mỗi dòng một mục)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class ReceiveSupplementForm(ActionForm):
    names = forms.CharField(label=_("Giấy tờ bổ sung đã nhận (mỗi dòng một giấy tờ)"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Bản quét (tùy chọn, theo thứ tự các dòng; PDF, JPEG, PNG)"), required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False)

    def documents(self, received_document_class):
        names = [line.strip() for line in self.cleaned_data.get("names", "").splitlines() if line.strip()]
        files = list(self.cleaned_data.get("files") or [])
        documents = []
        for index, name in enumerate(names):
            upload = files[index] if index < len(files) else None
            documents.append(received_document_class(name=name, copies=1, upload=upload))
        for upload in files[len(names):]:
            documents.append(received_document_class(name=upload.name, copies=1, upload=upload))
        return documents


class ConsultForm(ActionForm):
    to_agency = forms.ModelChoiceField(label=_("Cơ quan được xin ý kiến"), queryset=None,
                                       empty_label=_("— Chọn cơ quan —"))
    question = forms.CharField(label=_("Nội dung xin ý kiến"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))
    reply_days = forms.IntegerField(label=_("Thời hạn trả lời (ngày làm việc)"), min_value=1, max_value=60,
                                    initial=3)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agencies


class ReplyConsultationForm(ActionForm):
    consultation = forms.IntegerField(widget=forms.HiddenInput())
    reply = forms.CharField(label=_("Ý kiến trả lời"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class IssueResultForm(ActionForm):
    number = forms.CharField(label=_("Số văn bản kết quả"), max_length=60, required=False)
    signed_on = forms.DateField(label=_("Ngày ký (dd/mm/yyyy)"), input_formats=DATE_INPUT, required=False,
                                error_messages={"invalid": _("Ngày ký phải theo dạng dd/mm/yyyy.")},
                                widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))
    signer = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    upload = forms.FileField(label=_("Bản điện tử kết quả (tùy chọn; PDF, JPEG, PNG)"), required=False)


class ReturnResultForm(ActionForm):
    method = forms.ChoiceField(label=_("Hình thức trả"), choices=ReturnMethod.choices)
    tracking = forms.CharField(label=_("Mã vận đơn (khi trả qua bưu chính)"), max_length=60, required=False)
    dispatched_on = forms.DateField(label=_("Ngày gửi bưu chính (dd/mm/yyyy; để trống là hôm nay)"),
                                    input_formats=DATE_INPUT, required=False,
                                    error_messages={"invalid": _("Ngày gửi phải theo dạng dd/mm/yyyy.")},
                                    widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))
    postal_address = forms.CharField(label=_("Địa chỉ nhận qua bưu chính"), max_length=300, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False)


class IncomingPostForm(ActionForm):
    tracking = forms.CharField(label=_("Mã vận đơn bưu gửi"), max_length=60, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False)


class ApologyForm(ActionForm):
    reason = forms.CharField(label=_("Lý do chậm giải quyết"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    proposed_due_at = forms.DateTimeField(
        label=_("Đề nghị hẹn trả mới (dd/mm/yyyy HH:MM)"), input_formats=DATETIME_INPUT,
        error_messages={"invalid": _("Ngày hẹn mới phải theo dạng dd/mm/yyyy HH:MM."),
                        "required": _("Vui lòng nhập ngày hẹn mới.")},
        widget=forms.DateTimeInput(format="%d/%m/%Y %H:%M", attrs={"placeholder": "dd/mm/yyyy HH:MM"}))
