import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_overview_counts_publishers_measures_per_indicator_and_progress(client, capsys):
    call_command("load_demo", "--seeds-only")
    page = client.get("/overview/?year=2568")
    assert (page.context["published"], page.context["agencies"]) == (2, 5)
    indicators = {bar["label"]: bar["n"] for bar in page.context["per_indicator"]}
    assert sum(indicators.values()) == 12  # 7 measures of 000 and 5 of 002
    assert indicators["ไม่ระบุตัวชี้วัด"] == 5
    assert page.content.decode().count("<svg") == 2
    phayao = client.get("/overview/?year=2568&province=999999").context
    assert phayao["published"] == 0 and phayao["per_indicator"] == []
    assert client.get("/overview/?year=abc&province=<script>").status_code == 200
