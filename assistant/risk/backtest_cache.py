"""The day's backtest per database, so admin pages can show it without re-running it on every view."""

import threading
from datetime import date, datetime

from sqlalchemy.orm import Session

from assistant.crm.services.catalog import competitor_names
from assistant.risk.backtest import BacktestReport, run_backtest

_REPORTS: dict[tuple[str, date], BacktestReport] = {}
_LOCK = threading.Lock()


def todays_backtest(session: Session, now: datetime) -> BacktestReport:
    key = (session.get_bind().engine.url.render_as_string(hide_password=True), now.date())
    with _LOCK:
        report = _REPORTS.get(key)
        if report is None:
            report = run_backtest(session, now, competitors=competitor_names(session))
            stale = [k for k in _REPORTS if k[0] == key[0]]
            for old in stale:
                del _REPORTS[old]
            _REPORTS[key] = report
        return report
