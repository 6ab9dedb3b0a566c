"""Reading export files: encodings, delimiters, multi-line cells, dates, money; the dedupe keys."""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.imports.dedupe import CompanyIndex, PeopleIndex, Target, normal_company, normal_domain, normal_phone
from ingest.imports.readers import DateReader, ParseError, parse_money, read_csv


def test_encodings_and_delimiters(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Name;City\nJosé;Zürich\n".encode("latin-1"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffName\tCity\nRenée\tMálaga\n".encode())
    table = read_csv(latin)
    assert table.delimiter == ";" and table.rows[0].cells == {"name": "José", "city": "Zürich"}
    table = read_csv(bom)
    assert table.encoding == "utf-8-sig" and table.columns == ["Name", "City"] and table.rows[0].get("CITY") == "Málaga"


def test_multiline_quoted_cells_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('Id,Body\n1,"first line\nsecond, with comma"\n\n2,plain\n')
    rows = read_csv(path).rows
    assert [(row.line, row.get("Body")) for row in rows] == [(2, "first line\nsecond, with comma"), (5, "plain")]


def test_dates() -> None:
    reader = DateReader()
    assert reader.datetime("2026-03-05T14:22:00.000+0000") == datetime(2026, 3, 5, 14, 22)
    assert reader.datetime("2026-03-05T14:22:00.000+0200") == datetime(2026, 3, 5, 12, 22)
    assert reader.date("03/05/2026") == date(2026, 3, 5)
    assert reader.datetime("1767225600000") == datetime(2026, 1, 1)
    assert DateReader.for_values(["03/05/2026", "25/12/2026"]).date("03/05/2026") == date(2026, 5, 3)
    assert not DateReader.for_values(["03/05/2026", "12/25/2026", "25/12/2026"]).day_first
    with pytest.raises(ParseError, match="not a date"):
        reader.date("next tuesday")
    with pytest.raises(ParseError, match="not a valid date"):
        reader.date("2026-02-30")


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$1,200.50", "1200.50", "USD"),
        ("1.200,50 EUR", "1200.50", "EUR"),
        ("€ 2.500,00", "2500.00", "EUR"),
        ("1200", "1200.00", None),
        ("1,200", "1200.00", None),
        ("12,5", "12.50", None),
        ("-500", "-500.00", None),
    ],
)
def test_money(text: str, amount: str, currency: str | None) -> None:
    assert parse_money(text) == (Decimal(amount), currency)


def test_money_rejects_words() -> None:
    with pytest.raises(ParseError, match="not an amount"):
        parse_money("about a grand")


def test_normalisers() -> None:
    assert normal_phone("+1 (415) 555-0101") == normal_phone("415.555.0101") == "14155550101"
    assert normal_phone("0044 20 7946 0958") == normal_phone("+44 20 7946 0958") == "442079460958"
    assert normal_domain("https://www.Acme.example/about") == normal_domain("acme.example") == "acme.example"
    assert normal_company("Acme, Inc.") == normal_company("ACME Corp") == normal_company("acme gmbh") == "acme"


def test_people_and_company_matching() -> None:
    people, companies = PeopleIndex(), CompanyIndex()
    person = Target("contact", 1, {})
    people.add(person, "Ann.Lee@X.example", "+1 415 555 0100", "Ann", "Lee")
    assert people.find("ann.lee@x.example", None, None, None) == (person, "email")
    assert people.find(None, "(415) 555-0100", "ANN", "LEE") == (person, "phone and name")
    assert people.find(None, "(415) 555-0100", "Bob", "Lee") is None
    company = Target("account", 1, {})
    companies.add(company, "northwind.example", "Northwind Traders Inc.")
    assert companies.find("www.northwind.example", "Other") == (company, "domain")
    assert companies.find(None, "NORTHWIND TRADERS LTD") == (company, "name")
    assert companies.find(None, "Northwind Trader")[1].startswith("similar name")  # type: ignore[index]
    assert companies.find(None, "Northwood Partners") is None
