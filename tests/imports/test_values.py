"""Reading export files and their values: encodings, delimiters, multi-line cells; numbers, money and dates read
without guessing; the de-duplication keys."""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.imports.dates import DateReader
from ingest.imports.dedupe import CompanyIndex, PeopleIndex, Target, normal_company, normal_domain, normal_phone
from ingest.imports.numbers import NumberFormat, ParseError, parse_int, parse_money
from ingest.imports.readers import read_csv, read_header


def test_encodings_and_delimiters(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Name;City\nJosé;Zürich\n".encode("cp1252"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffName\tCity\nRenée\tMálaga\n".encode())
    table = read_csv(latin)
    assert table.delimiter == ";" and table.rows[0].cells == {"name": "José", "city": "Zürich"}
    table = read_csv(bom)
    assert table.encoding == "utf-8-sig" and table.columns == ["Name", "City"] and table.rows[0].get("CITY") == "Málaga"
    assert read_header(bom) == ["Name", "City"]


def test_a_semicolon_file_with_commas_in_its_cells(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes("Id;Name;Amount\n1;Acme, Inc.;9225.225\n2;Globex, S.A.;1,5\n".encode("cp1252"))
    table = read_csv(path)
    assert table.delimiter == ";" and [row.get("Name") for row in table.rows] == ["Acme, Inc.", "Globex, S.A."]


def test_multiline_quoted_cells_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text('Id,Body\n1,"first line\nsecond, with comma"\n\n2,plain\n')
    rows = read_csv(path).rows
    assert [(row.line, row.get("Body")) for row in rows] == [(2, "first line\nsecond, with comma"), (5, "plain")]


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("9225.225", "9225.225", None),
        ("S/ 9225.225", "9225.225", "PEN"),
        ("$1,200.50", "1200.50", None),
        ("US$ 1,200.50", "1200.50", "USD"),
        ("1.200,50 EUR", "1200.50", "EUR"),
        ("€ 2.500,00", "2500.00", "EUR"),
        ("COP 125.000.000", "125000000", "COP"),
        ("1'234'567.5", "1234567.5", None),
        ("12,5", "12.5", None),
        ("0.225", "0.225", None),
        ("-500", "-500", None),
        ("(300)", "-300", None),
    ],
)
def test_money_is_read_exactly(text: str, amount: str, currency: str | None) -> None:
    assert parse_money(text) == (Decimal(amount), currency)


def test_an_ambiguous_amount_is_reported_not_guessed() -> None:
    with pytest.raises(ParseError, match=r"'1\.225' could be 1\.225 or 1225"):
        parse_money("1.225")
    with pytest.raises(ParseError, match="could be"):
        parse_money("1,225", NumberFormat.for_values(["1,225", "3.5", "4,5"]))
    with pytest.raises(ParseError, match="unlike the export"):
        parse_money("$1,500", NumberFormat.for_values(["$1,500", "1.200,50 EUR"], default_mark="."))


def test_what_settles_an_ambiguous_amount() -> None:
    assert parse_money("1.225", NumberFormat.for_values(["1.225", "3.5"])) == (Decimal("1.225"), None)
    assert parse_money("1.225", NumberFormat.for_values(["1.225", "12.500,75"])) == (Decimal("1225"), None)
    assert parse_money("1.225", NumberFormat.for_values([], locale="es_CO")) == (Decimal("1225"), None)
    assert parse_money("1.225", NumberFormat.for_values([], locale="es_PE")) == (Decimal("1.225"), None)
    assert parse_money("1,225", NumberFormat.for_values([], default_mark=".")) == (Decimal("1225"), None)
    with pytest.raises(ParseError, match="as es_CO writes them"):
        parse_money("9225.225", NumberFormat.for_values([], locale="es_CO"))


def test_money_rejects_words_two_currencies_and_too_many_decimals() -> None:
    with pytest.raises(ParseError, match="not a number"):
        parse_money("about a grand")
    with pytest.raises(ParseError, match="two currencies"):
        parse_money("€ 100 USD")
    with pytest.raises(ParseError, match="more than 4 decimals"):
        parse_money("1.123456")


def test_whole_numbers() -> None:
    assert [parse_int(v) for v in ("2.500", "2,500", "250", "")] == [2500, 2500, 250, None]
    with pytest.raises(ParseError, match="not a number"):
        parse_int("muchos")
    with pytest.raises(ParseError, match="not a whole number"):
        parse_int("2.5")


def test_dates() -> None:
    reader = DateReader()
    assert reader.datetime("2026-03-05T14:22:00.000+0000") == datetime(2026, 3, 5, 14, 22)
    assert reader.datetime("2026-03-05T14:22:00.000+0200") == datetime(2026, 3, 5, 12, 22)
    assert reader.datetime("1767225600000") == datetime(2026, 1, 1)
    assert reader.date("12/31/2026") == date(2026, 12, 31)
    assert reader.date("31.12.2026") == date(2026, 12, 31)
    assert reader.date("05/05/2026") == date(2026, 5, 5)
    assert reader.date("14-Jan-2020") == date(2020, 1, 14)
    assert reader.date("14 de enero de 2026") == date(2026, 1, 14)
    assert DateReader.for_values(["01-14-2020", "02-03-2020"]).date("02-03-2020") == date(2020, 2, 3)
    assert DateReader.for_values(["03/05/2026", "25/12/2026"]).date("03/05/2026") == date(2026, 5, 3)
    assert DateReader.for_values([], "en_US").date("03/05/2026") == date(2026, 3, 5)
    assert DateReader.for_values([], "es_CO").date("03/05/2026") == date(2026, 5, 3)
    assert DateReader.for_values([], order="DMY").datetime("3/4/2026 2:30 PM") == datetime(2026, 4, 3, 14, 30)
    with pytest.raises(ParseError, match="could be 3/5 or 5/3"):
        reader.date("03/05/2026")
    with pytest.raises(ParseError, match="written month first"):
        DateReader.for_values([], order="MDY").date("25/12/2026")
    with pytest.raises(ParseError, match="not a date"):
        reader.date("next tuesday")
    with pytest.raises(ParseError, match="not a valid date"):
        reader.date("2026-02-30")


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
    company, other = Target("account", 1, {}), Target("account", 2, {})
    companies.add(company, "northwind.example", "Northwind Traders Inc.")
    assert companies.find("www.northwind.example", "Other") == (company, "domain")
    assert companies.find(None, "NORTHWIND TRADERS LTD") == (company, "name")
    assert companies.find(None, "Northwind Trader")[1].startswith("similar name")  # type: ignore[index]
    assert companies.find(None, "Northwood Partners") is None
    companies.add(other, None, "Northwind Traders")
    assert companies.named("northwind traders") == [company, other]
