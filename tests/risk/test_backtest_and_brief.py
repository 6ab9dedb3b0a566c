"""The backtest is out of sample and separates won from lost; weekly briefs go out once per week."""

import math
from datetime import datetime

import numpy as np
import pytest
from sqlalchemy.orm import Session, sessionmaker

from assistant.crm.clock import Clock
from assistant.crm.db import session_factory
from assistant.crm.errors import ValidationFailed
from assistant.crm.settings import Settings
from assistant.risk.backtest import auc, run_backtest
from assistant.risk.brief import BriefRecipient, due_briefs, send_briefs
from tests.support import EAST_MANAGER, NOW, WEST_MANAGER

MONDAY_MORNING = datetime(2026, 11, 23, 9, 0)


def test_auc_matches_its_definition() -> None:
    assert auc(np.array([0.9, 0.8, 0.1]), np.array([1, 1, 0])) == 1.0
    assert auc(np.array([0.5, 0.5]), np.array([1, 0])) == 0.5
    assert auc(np.array([0.1, 0.9]), np.array([1, 0])) == 0.0


def test_backtest_on_the_small_demo_separates_won_from_lost(db: Session) -> None:
    report = run_backtest(db, NOW)
    assert report.scored_deals == report.closed_deals >= 40
    assert 0.0 <= report.auc <= 1.0 and report.auc > 0.6
    assert len(report.calibration) == 10
    assert sum(row.deals for row in report.calibration) == report.scored_deals
    predicted = [row.predicted_loss_rate for row in report.calibration]
    assert predicted == sorted(predicted)
    assert 0 < report.brier < 1 and not math.isnan(report.brier)
    timed = run_backtest(db, NOW, method="time", folds=4)
    assert 0.0 <= timed.auc <= 1.0 and timed.scored_deals < timed.closed_deals
    with pytest.raises(ValidationFailed, match="method"):
        run_backtest(db, NOW, method="random")  # type: ignore[arg-type]


def test_weekly_briefs_are_due_once_and_delivered(settings: Settings) -> None:
    sessions: sessionmaker[Session] = session_factory(settings)
    with sessions() as session:
        due = {user.email for user in due_briefs(session, MONDAY_MORNING)}
    assert due == {WEST_MANAGER, EAST_MANAGER}
    sent: list[tuple[BriefRecipient, str, str]] = []

    def fail_for_east(recipient: BriefRecipient, subject: str, text: str) -> None:
        if recipient.email == EAST_MANAGER:
            raise ConnectionError("smtp down")
        sent.append((recipient, subject, text))

    outcomes = send_briefs(settings, sessions, Clock.fixed(MONDAY_MORNING), fail_for_east)
    assert {(o.email, o.delivered) for o in outcomes} == {(WEST_MANAGER, True), (EAST_MANAGER, False)}
    recipient, subject, text = sent[0]
    assert recipient.email == WEST_MANAGER and "Deal risk brief" in subject
    assert text.startswith("# Weekly deal risk brief") and "risk-weighted pipeline $" in text
    with sessions() as session:
        assert [user.email for user in due_briefs(session, MONDAY_MORNING)] == [EAST_MANAGER]

    written: list[str] = []

    def writer(report) -> str:  # type: ignore[no-untyped-def]
        written.append(report.scope)
        return f"{report.open_deals} open deals"

    outcomes = send_briefs(
        settings, sessions, Clock.fixed(MONDAY_MORNING), lambda r, s, t: sent.append((r, s, t)), writer
    )
    assert [o.email for o in outcomes] == [EAST_MANAGER] and sent[-1][2].endswith("open deals") and written
    assert send_briefs(settings, sessions, Clock.fixed(MONDAY_MORNING), fail_for_east) == []
    with sessions() as session:
        assert {u.email for u in due_briefs(session, datetime(2026, 11, 30, 8, 30))} == {WEST_MANAGER, EAST_MANAGER}
        assert due_briefs(session, datetime(2026, 11, 30, 7, 0)) == []
