from tests.dossiers.conftest import at


def test_received_dossier_has_code_and_due_skipping_culture_day(received_dossier):
    # 24/11/2026 (Ngày Văn hóa Việt Nam) is a day off, so 10 working days end on Tuesday 08/12.
    assert received_dossier.code == "000.00.14.H42-261123-0001"
    assert received_dossier.legal_due_at == at(2026, 12, 8, 9, 0)
