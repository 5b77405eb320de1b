"""The report page: any unit of the reader's scope and any range, Vietnamese labels and number
formats, the same figures as `thenchot report` and the API; outsiders are refused."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import call_command
from django.test import Client

from thenchot.reports.tests.conftest import EXPECTED

pytestmark = pytest.mark.django_db


def _client(world, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def _cli(tmp_path, *args: str) -> dict:
    out = tmp_path / "cli.json"
    call_command("report", *args, "--output", str(out))
    return json.loads(out.read_text())


def _cells(html: str, block: str) -> list[str]:
    section = html.split(f'id="block-{block}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<td class="text-end" data-key="[^"]*">([^<]*)</td>', section)


def test_it_shows_the_articles_nine_months_with_vietnamese_labels(article, world):
    page = _client(world, "hung").get("/reports/?unit=HN&kind=nine_months&year=2023")
    assert page.status_code == 200
    html = page.content.decode()
    assert "9 tháng đầu năm 2023" in html
    assert "01/01/2023" in html and "30/09/2023" in html
    # Labels, not machine keys.
    for label in ("Kiểm tra công vụ", "Đột xuất", "Theo kế hoạch", "Khiển trách", "Cấp xã"):
        assert label in html, label
    for key in ("by_kind", "by_conductor", "in_force_by_level", "between_agencies"):
        assert key not in re.sub(r'data-key="[^"]*"', "", html), key
    # The records' sums: 53 inspections (18 planned, 32 surprise, 3 verifications), the team's 40.
    inspections = _cells(html, "inspections")
    assert inspections[:4] == ["53", "18", "32", "3"]
    assert "Phòng Cải cách hành chính (SNV-CCHC)" in html
    processes = _cells(html, "processes")
    assert processes[:2] == [str(EXPECTED["processes"]["in_force"]), "6"]
    assert processes[2:6] == ["3", "5", "7", "1"]
    # The narrative, in Vietnamese, with the figures.
    assert "Thành phố đã tiến hành 53 cuộc kiểm tra công vụ" in html


@pytest.mark.parametrize(
    ("query", "phrase", "date_from", "date_to"),
    [
        ("kind=month&year=2023&month=9", "tháng 9 năm 2023", "2023-09-01", "2023-09-30"),
        ("kind=quarter&year=2023&quarter=3", "quý III năm 2023", "2023-07-01", "2023-09-30"),
        ("kind=half&year=2023", "6 tháng đầu năm 2023", "2023-01-01", "2023-06-30"),
        ("kind=year&year=2023", "năm 2023", "2023-01-01", "2023-12-31"),
        (
            "kind=custom&year=2023&date_from=2023-02-15&date_to=2023-05-20",
            "từ ngày 15/02/2023 đến ngày 20/05/2023",
            "2023-02-15",
            "2023-05-20",
        ),
    ],
)
def test_it_gives_the_cli_figures_for_every_range(
    article, world, tmp_path, query, phrase, date_from, date_to
):
    html = _client(world, "hung").get(f"/reports/?unit=HN&{query}").content.decode()
    assert phrase in html
    data = _cli(tmp_path, "--unit", "HN", "--from", date_from, "--to", date_to)
    shown = _cells(html, "inspections")
    kinds = data["inspections"]["by_kind"]
    assert shown[:4] == [
        str(data["inspections"]["total"]),
        str(kinds["planned"]),
        str(kinds["surprise"]),
        str(kinds["verification"]),
    ]
    assert _cells(html, "discipline")[:2] == [
        str(data["discipline"]["people"]),
        str(data["discipline"]["decisions"]),
    ]


def test_it_writes_numbers_the_vietnamese_way(world):
    from django.utils import translation

    from thenchot.reports.presentation import cell

    with translation.override("vi"):
        assert cell(22000).text == "22.000"
        assert cell(86.456).text == "86,46"
        assert cell(2023, key="year").text == "2023"
    with translation.override("en"):
        assert cell(22000).text == "22,000"


def test_it_answers_the_api_as_the_cli(article, world, tmp_path):
    cli = _cli(tmp_path, "--unit", "HN", "--from", "2023-01-01", "--to", "2023-09-30")
    api = _client(world, "hung").get(
        "/api/v1/reports/", {"unit": "HN", "from": "2023-01-01", "to": "2023-09-30"}
    )
    assert api.status_code == 200
    assert api.json() == cli
    # The JSON contract of report.md is unchanged: the header and the blocks' keys.
    assert list(cli)[:4] == ["unit", "from", "to", "as_of"]
    assert set(cli["inspections"]) >= {"total", "by_kind", "by_conductor", "recommendations"}
    assert set(cli["processes"]) == {"in_force", "in_force_by_level", "approved_in_range"}


def test_it_refuses_bad_api_input_by_name(world):
    client = _client(world, "hung")
    answer = client.get(
        "/api/v1/reports/", {"unit": "NOPE", "from": "2023-01-01", "to": "2023-02-01"}
    )
    assert answer.status_code == 400 and "NOPE" in json.dumps(answer.json(), ensure_ascii=False)
    answer = client.get("/api/v1/reports/", {"from": "2023-03-01", "to": "2023-02-01"})
    assert answer.status_code == 400
    answer = client.get("/api/v1/reports/", {"from": "0001-01-01", "to": "2023-02-01"})
    assert answer.status_code == 400
    # No unit given, and none existed then: refused, not guessed.
    answer = client.get("/api/v1/reports/", {"from": "2000-01-01", "to": "2000-01-01"})
    assert answer.status_code == 400 and "unit" in answer.json()["error"]["fields"]


def test_a_head_reports_on_their_unit_but_not_on_another(article, world):
    minh = _client(world, "minh")  # head of STC
    assert minh.get("/reports/?unit=STC&kind=year&year=2023").status_code == 200
    assert minh.get("/reports/?unit=SNV&kind=year&year=2023").status_code == 403
    assert minh.get("/reports/?unit=HN&kind=year&year=2023").status_code == 403
    query = {"unit": "SNV", "from": "2023-01-01", "to": "2023-12-31"}
    assert minh.get("/api/v1/reports/", query).status_code == 403
    for fmt in ("xlsx", "pdf"):
        url = f"/reports/download/?unit=SNV&kind=year&year=2023&format={fmt}"
        assert minh.get(url).status_code == 403
    # The staff member without a grant reads no unit report at all.
    an = _client(world, "an")
    assert an.get("/reports/?unit=SNV-TC&kind=year&year=2023").status_code == 403


def test_it_opens_on_the_readers_own_unit(world):
    html = _client(world, "minh").get("/reports/").content.decode()
    assert 'value="STC"' in html
    assert "Sở Tài chính (STC)" in html


def test_it_names_an_unknown_unit_and_a_reversed_range(world):
    client = _client(world, "hung")
    html = client.get("/reports/?unit=XYZ&kind=year&year=2023").content.decode()
    assert "XYZ" in html and 'id="report"' not in html
    html = client.get(
        "/reports/?unit=HN&kind=custom&year=2023&date_from=2023-05-01&date_to=2023-04-01"
    ).content.decode()
    assert "01/04/2023" in html and 'id="report"' not in html


def test_it_downloads_the_files_at_once_for_a_modest_unit(article, world):
    client = _client(world, "hung")
    xlsx = client.get("/reports/download/?unit=HN&kind=nine_months&year=2023&format=xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    assert "bao-cao-HN-2023-01-01-2023-09-30.xlsx" in xlsx["Content-Disposition"]
    pdf = client.get("/reports/download/?unit=HN&kind=nine_months&year=2023&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
