"""The grounding check on its own: figures, dates and names against the tool results."""

from assistant.agent.grounding import build_evidence, check


def test_amounts_match_in_any_notation() -> None:
    evidence = build_evidence([{"total_amount": 1234567.0, "count": 14, "close_date": "2026-11-20"}])
    assert check("14 deals worth $1.2M, closing Nov 20", evidence).ok
    assert check("14 deals worth $1,234,567 closing 2026-11-20", evidence).ok
    assert check("1.23 million in total", evidence).ok


def test_invented_figures_dates_and_names_are_violations() -> None:
    evidence = build_evidence([{"total_amount": 50000.0, "deals": [{"name": "Hooli - Pilot"}]}])
    result = check("Hooli - Pilot is worth $75,000 and closes Dec 3; Globex looks good", evidence, ["Globex", "Hooli"])
    assert {(v.kind, v.text) for v in result.violations} == {
        ("number", "$75,000"),
        ("date", "Dec 3"),
        ("name", "Globex"),
    }


def test_numbers_from_the_question_and_small_counts_are_allowed() -> None:
    evidence = build_evidence([{"count": 3}], message="deals with no activity in 21 days")
    assert check("3 deals had no activity in 21 days; the top 5 are listed", evidence).ok


def test_a_figure_at_the_end_of_a_line_is_no_date_with_the_next_lines_month() -> None:
    evidence = build_evidence([{"rows": [{"key": "May 2026", "value": 9}, {"key": "June 2026", "value": 16}]}])
    assert check("- May 2026: 9\n- June 2026: 16\nJune 2026 is higher than May 2026 by 7.", evidence).ok
    assert not check("Closing on 16 June 2026.", evidence).ok


def test_a_date_the_person_gave_without_a_year_may_be_repeated_but_no_other() -> None:
    evidence = build_evidence([{"deal": "Horizon Media", "close_date": "2026-12-14"}], "propose Thursday, December 3")
    assert check("I'd like to propose a session on Thursday, December 3.", evidence).ok
    invented = check("I'd like to propose a session on December 4.", evidence)
    assert [v.text for v in invented.violations] == ["December 4"]
