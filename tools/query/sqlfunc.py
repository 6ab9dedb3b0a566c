"""SQL the two databases spell differently: calendar buckets of a date and whole days between two dates."""

from typing import Any, Literal

from sqlalchemy import Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

Unit = Literal["month", "quarter", "year"]


class bucket(FunctionElement[str]):
    """``bucket(column, unit)`` -> '2026-11' (month), '2026-Q4' (quarter) or '2026' (year)."""

    type = String()
    inherit_cache = False
    name = "bucket"

    def __init__(self, column: ColumnElement[Any], unit: Unit) -> None:
        self.unit = unit
        super().__init__(column)


class days_between(FunctionElement[int]):
    """``days_between(end, start)``: whole calendar days from start to end (dates or timestamps)."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(bucket, "sqlite")
def _bucket_sqlite(element: bucket, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(list(element.clauses)[0], **kw)
    if element.unit == "month":
        return f"strftime('%Y-%m', {column})"
    if element.unit == "year":
        return f"strftime('%Y', {column})"
    return f"(strftime('%Y', {column}) || '-Q' || ((CAST(strftime('%m', {column}) AS INTEGER) + 2) / 3))"


@compiles(bucket, "postgresql")
def _bucket_postgresql(element: bucket, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(list(element.clauses)[0], **kw)
    pattern = {"month": "YYYY-MM", "year": "YYYY"}.get(element.unit, 'YYYY-"Q"Q')
    return f"to_char({column}, '{pattern}')"


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    end, start = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday(date({end})) - julianday(date({start})) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_postgresql(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    end, start = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({end} AS DATE) - CAST({start} AS DATE))"
