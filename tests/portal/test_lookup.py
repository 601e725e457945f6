"""portal.lookup: the public lookup service (second factor, no personal data, throttle, no oracle)."""
import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers.models import Dossier
from motcua.portal import lookup
from tests.portal.lookup_fixtures import *  # noqa: F401,F403
from tests.portal.lookup_fixtures import PHONE_DIGITS

CLIENT = "203.0.113.7"


def public_text(found):
    """Every string the public view carries, to search for personal data."""
    values = [str(v) for v in dataclasses.asdict(found).values()]
    values += [f"{m.label} {m.agency}" for m in found.milestones]
    return " ".join(values)


def test_right_pair_shows_status_due_date_and_public_timeline(received_dossier):
    found = lookup.lookup(received_dossier.code, PHONE_DIGITS, client=CLIENT)
    assert found.code == received_dossier.code
    assert found.status == "received" and found.status_label == "Đã tiếp nhận"
    assert found.appointment_at == received_dossier.appointment_at
    assert found.procedure == "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam"
    assert found.competent_agency == received_dossier.competent_agency.name
    assert [m.label for m in found.milestones] == ["Tiếp nhận hồ sơ"]
    assert found.milestones[0].agency == received_dossier.receiving_agency.name


def test_code_is_read_whatever_the_case_and_spaces(received_dossier):
    typed = " " + received_dossier.code.lower() + " "
    assert lookup.lookup(typed, " 5678", client=CLIENT).id == received_dossier.pk


def test_no_personal_data_in_the_public_view(returned_dossier):
    found = lookup.lookup(returned_dossier.code, PHONE_DIGITS, client=CLIENT)
    text = public_text(found)
    for private in ("Nguyễn Văn An", "037090001234", "0912345678", "5678", "an.nguyen@example.vn", "Lê Lợi",
                    "Đỗ Quang Vinh", "Lê Thị Hồng Nhung", "Đủ điều kiện cấp phiếu", "1234/STP-LLTP"):
        assert private not in text
    assert [m.label for m in found.milestones] == [
        "Tiếp nhận hồ sơ", "Chuyển hồ sơ đến cơ quan giải quyết", "Hoàn thành một bước xử lý", "Lãnh đạo phê duyệt",
        "Phát hành kết quả", "Trả kết quả"]
    assert found.can_rate


@pytest.mark.parametrize("case", ["wrong_digits", "unknown_code", "no_phone"])
def test_wrong_pair_unknown_code_and_missing_phone_get_one_generic_answer(case, received_dossier, procedure,
                                                                          agencies, users):
    from motcua.dossiers import services
    from tests.dossiers.conftest import reception_for
    code, digits = received_dossier.code, PHONE_DIGITS
    if case == "wrong_digits":
        digits = "5679"
    elif case == "unknown_code":
        code = received_dossier.code[:-4] + "9999"
    else:
        applicant = services.Applicant(name="Công ty TNHH Tràng An", id_number="2700123456", kind="organisation",
                                       organisation_name="Công ty TNHH Tràng An", phone="")
        code = services.receive(users["tiepnhan.tinh"], reception_for(procedure, agencies, applicant=applicant)).code
        digits = "0000"
    with pytest.raises(lookup.LookupFailed) as refused:
        lookup.lookup(code, digits, client=CLIENT)
    assert refused.value.message == lookup.LookupFailed().message
    assert "Không tìm thấy hồ sơ khớp" in refused.value.message


@pytest.mark.parametrize("case", ["right", "wrong_digits", "unknown_code"])
def test_every_lookup_is_one_query(case, received_dossier):
    code = received_dossier.code if case != "unknown_code" else "000.00.14.H42-261123-9999"
    with CaptureQueriesContext(connection) as cold:
        lookup.find(received_dossier.code, PHONE_DIGITS)
    assert len(cold) <= 3  # the first lookup of a process also loads the public names
    with CaptureQueriesContext(connection) as queries:
        try:
            lookup.find(code, "0000" if case == "wrong_digits" else PHONE_DIGITS)
        except lookup.LookupFailed:
            pass
    assert len(queries) == 1


@pytest.mark.parametrize("code, digits, field", [("", "5678", "ma"), ("X" * 61, "5678", "ma"),
                                                 ("000.00.14.H42-261123-0001", "567", "so"),
                                                 ("000.00.14.H42-261123-0001", "56a8", "so"),
                                                 ("000.00.14.H42-261123-0001", "٥٦٧٨", "so")])
def test_malformed_input_is_refused_before_counting(code, digits, field, settings, db):
    settings.PUBLIC_LOOKUP_THROTTLE = "1/15m"
    for _ in range(3):
        with pytest.raises(lookup.InvalidInput) as refused:
            lookup.lookup(code, digits, client=CLIENT)
        assert field in refused.value.field_errors
    with pytest.raises(lookup.LookupFailed):  # the allowance of one wrong pair is still there
        lookup.lookup("000.00.14.H42-261123-0001", "0000", client=CLIENT)


def test_throttle_counts_wrong_pairs_per_client_then_blocks_even_the_right_pair(received_dossier, settings):
    settings.PUBLIC_LOOKUP_THROTTLE = "3/15m"
    for _ in range(3):
        with pytest.raises(lookup.LookupFailed):
            lookup.lookup(received_dossier.code, "0000", client=CLIENT)
    with pytest.raises(lookup.Throttled) as blocked:
        lookup.lookup(received_dossier.code, PHONE_DIGITS, client=CLIENT)
    assert 0 < blocked.value.retry_after <= 15 * 60 + 1
    assert "thử lại sau" in blocked.value.message
    with pytest.raises(lookup.Throttled):  # a further wrong pair is refused the same way
        lookup.lookup(received_dossier.code, "0000", client=CLIENT)
    # Another client is not affected.
    assert lookup.lookup(received_dossier.code, PHONE_DIGITS, client="198.51.100.1").code == received_dossier.code


def test_right_pairs_do_not_use_up_the_allowance(received_dossier, settings):
    settings.PUBLIC_LOOKUP_THROTTLE = "2/15m"
    for _ in range(10):
        lookup.lookup(received_dossier.code, PHONE_DIGITS, client=CLIENT)
    with pytest.raises(lookup.LookupFailed):
        lookup.lookup(received_dossier.code, "0000", client=CLIENT)


def test_throttle_window_ends(received_dossier, settings):
    settings.PUBLIC_LOOKUP_THROTTLE = "1/1m"
    start = 1_800_000_000.0  # the start of a one-minute window
    lookup.count_wrong_pair(CLIENT, now=start)
    assert lookup.blocked_for(CLIENT, now=start + 30) is not None
    assert lookup.blocked_for(CLIENT, now=start + 61) is None  # next window
    lookup.count_wrong_pair(CLIENT, now=start + 61)


@pytest.mark.parametrize("rate, parsed", [("10/15m", (10, 900)), ("30/hour", (30, 3600)), ("5/minute", (5, 60)),
                                          ("100/d", (100, 86400)), (" 3 / 2h ", (3, 7200))])
def test_rate_setting_is_read(rate, parsed):
    assert lookup.parse_rate(rate) == parsed


def test_bad_rate_setting_is_an_error():
    with pytest.raises(ValueError):
        lookup.parse_rate("ten per minute")


def test_client_address_ignores_forwarded_header_unless_proxies_are_trusted(rf, settings):
    request = rf.get("/tra-cuu/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.9", REMOTE_ADDR="127.0.0.1")
    settings.NUM_PROXIES = 0
    assert lookup.client_ident(request) == "127.0.0.1"
    settings.NUM_PROXIES = 1
    assert lookup.client_ident(request) == "10.0.0.9"
    settings.NUM_PROXIES = 2
    assert lookup.client_ident(request) == "1.2.3.4"


def test_rating_token_names_one_dossier_and_is_signed(received_dossier):
    token = lookup.rating_token(received_dossier.pk)
    assert lookup.dossier_from_token(token) == received_dossier.pk
    assert lookup.dossier_from_token(token[:-2] + "xx") is None
    assert lookup.dossier_from_token("") is None


def test_internal_events_stay_internal(received_dossier, users):
    from motcua.dossiers.models import DossierEvent
    DossierEvent.objects.create(dossier=received_dossier, at=received_dossier.received_at, action="consult",
                                reason="Hỏi ý kiến về ông Nguyễn Văn An")
    found = lookup.lookup(received_dossier.code, PHONE_DIGITS, client=CLIENT)
    assert [m.label for m in found.milestones] == ["Tiếp nhận hồ sơ"]
    assert "Nguyễn Văn An" not in public_text(found)
    assert Dossier.objects.filter(pk=received_dossier.pk).exists()


def test_public_names_are_refreshed_after_their_time_to_live(received_dossier, monkeypatch):
    from motcua.orgs.models import Agency
    assert lookup.find(received_dossier.code, PHONE_DIGITS).competent_agency == "Sở Tư pháp"
    Agency.objects.filter(pk=received_dossier.competent_agency_id).update(name="Sở Tư pháp tỉnh Ninh Bình")
    monkeypatch.setattr(lookup, "NAMES_TTL", -1)
    assert lookup.find(received_dossier.code, PHONE_DIGITS).competent_agency == "Sở Tư pháp tỉnh Ninh Bình"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
@pytest.mark.parametrize("prepared", [False, True])  # False first: statements outlive a test
def test_lookup_runs_as_a_prepared_statement_unless_turned_off(received_dossier, settings, prepared):
    settings.PUBLIC_LOOKUP_PREPARED = prepared
    for _ in range(2):
        assert lookup.find(received_dossier.code, PHONE_DIGITS).code == received_dossier.code
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                       ["%UNION ALL%dossiers_dossier%"])
        assert cursor.fetchone()[0] == (1 if prepared else 0)
