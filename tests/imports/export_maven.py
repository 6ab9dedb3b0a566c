"""The Maven Analytics "CRM sales opportunities" data set's columns (accounts.csv, sales_pipeline.csv), imported
as generic CSV files with a mapping: parents by name (subsidiary_of) before and after their children, stages
Prospecting/Engaging/Won/Lost, open deals without a close date or a value, a row without an account."""

from pathlib import Path

from tests.imports.export_files import Truth, write_csv

MAPPING = """\
source: maven
currency: USD
owners:
  "*": admin@andina.example
stages:
  Prospecting: {probability: 10}
  Engaging: {probability: 40}
  Won: {closed: true, won: true}
  Lost: {closed: true, won: false}
files:
  accounts.csv:
    object: accounts
    id: account
    columns:
      {name: account, industry: sector, employees: employees, region: office_location, parent_name: subsidiary_of}
  sales_pipeline.csv:
    object: deals
    id: opportunity_id
    columns: {name: opportunity_id, account_name: account, stage: deal_stage, created_at: engage_date,
              close_date: close_date, amount: close_value, owner: sales_agent}
"""
ACCOUNT_COLUMNS = ["account", "sector", "year_established", "revenue", "employees", "office_location", "subsidiary_of"]
PIPELINE_COLUMNS = ["opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date", "close_date",
                    "close_value"]  # fmt: skip
# fmt: off
ACCOUNTS = [
    ["Betasoloin", "medical", "1999", "251.41", "495", "United States", "Acme Corporation"],
    ["Acme Corporation", "technolgy", "1996", "1100.04", "2822", "United States", ""],
    ["Bioholding", "medical", "2012", "587.34", "1356", "Philipines", "Acme Corporation"],
    ["Cancity", "retail", "2001", "718.62", "2448", "United States", ""],
]
PIPELINE = [
    ["1C1I7A6R", "Moses Frase", "GTX Plus Basic", "Cancity", "Won", "2016-10-20", "2017-03-01", "1054"],
    ["Z063OYW0", "Darcel Schlecht", "GTXPro", "Acme Corporation", "Lost", "2016-10-25", "2017-03-11", "0"],
    ["EC4QE1BX", "Darcel Schlecht", "MG Special", "Betasoloin", "Engaging", "2017-10-01", "", ""],
    ["MV1LWRNH", "Moses Frase", "GTX Basic", "", "Prospecting", "", "", ""],
]
# fmt: on


def write_maven(directory: Path) -> Truth:
    """accounts.csv, sales_pipeline.csv and maven.yaml (the mapping) in directory, and what importing them gives."""
    directory.mkdir(parents=True, exist_ok=True)
    write_csv(
        directory / "accounts.csv", ACCOUNT_COLUMNS, [dict(zip(ACCOUNT_COLUMNS, r, strict=True)) for r in ACCOUNTS]
    )
    write_csv(
        directory / "sales_pipeline.csv",
        PIPELINE_COLUMNS,
        [dict(zip(PIPELINE_COLUMNS, r, strict=True)) for r in PIPELINE],
    )
    (directory / "maven.yaml").write_text(MAPPING, encoding="utf-8")
    truth = Truth(
        accounts={row[0]: row[0] for row in ACCOUNTS},
        deals={
            "1C1I7A6R": ("1C1I7A6R", "1054", "USD"),
            "Z063OYW0": ("Z063OYW0", "0", "USD"),
            "EC4QE1BX": ("EC4QE1BX", "0", "USD"),
        },
        stages={
            "Prospecting": (10, False, False, "pipeline"),
            "Engaging": (40, False, False, "pipeline"),
            "Won": (100, True, True, "closed"),
            "Lost": (0, True, False, "omitted"),
        },
    )
    truth.links = [
        ("account", "Betasoloin", "parent_id", "account", "Acme Corporation"),
        ("account", "Bioholding", "parent_id", "account", "Acme Corporation"),
        ("deal", "EC4QE1BX", "account_id", "account", "Betasoloin"),
        ("deal", "1C1I7A6R", "account_id", "account", "Cancity"),
    ]
    truth.rejected[("sales_pipeline.csv", 5)] = "account"
    return truth
