"""Call summaries: every item traceable to the transcript; competitors, pricing and BANT found; LLM quotes checked."""

from __future__ import annotations

from assistant.crm.settings import Settings
from ingest.summarize import CallSummaryPublic, normalise_space, split_sentences, summarize, summarize_extractive
from tests.fakes.openai_server import OpenAIStandIn, tool_call

TRANSCRIPT = """Thanks for joining, Jane. We spend hours every week updating the CRM by hand, that's our main pain.
We're also looking at Northwind CRM and Contoso Cloud. Honestly the price is a concern: your quote of $45 per seat
is high for 200 seats. Our budget is approved for $80k this year. Jane is the decision maker, but procurement needs
to sign off. We need to go live before the end of the quarter. I'll send the revised pricing by Friday.
Jane will schedule a security review next week. Next step is a demo for the IT team on Tuesday."""


def quotes(summary: CallSummaryPublic) -> list[str]:
    found = [i.quote for i in summary.action_items] + [i.what for i in summary.action_items]
    found += [i.when for i in summary.action_items if i.when]
    for group in (summary.next_steps, summary.objections, summary.pricing):
        found += [s.quote for s in group] + [s.text for s in group]
    found += [m.quote for m in summary.competitors]
    found += [
        s.quote for s in (summary.bant.budget, summary.bant.authority, summary.bant.need, summary.bant.timeline) if s
    ]
    return found


def test_extractive_summary_is_traceable_and_finds_the_signals() -> None:
    summary = summarize_extractive(TRANSCRIPT, competitors=["Northwind CRM", "Contoso Cloud", "Fabrikam Sales"])
    text = normalise_space(TRANSCRIPT)
    for piece in [*quotes(summary), *split_sentences(summary.summary)]:
        assert normalise_space(piece) in text, piece
    assert 3 <= len(split_sentences(summary.summary)) <= 5
    assert {m.name for m in summary.competitors} == {"Northwind CRM", "Contoso Cloud"}
    assert {"$45", "200 seats", "$80k"} <= {p.text for p in summary.pricing}
    actions = {(a.who, a.when) for a in summary.action_items}
    assert ("I", "by Friday") in actions and ("Jane", "next week") in actions
    assert summary.objections and "concern" in summary.objections[0].quote
    assert summary.bant.budget and summary.bant.budget.status == "positive" and "$80k" in summary.bant.budget.quote
    assert summary.bant.authority and "decision maker" in summary.bant.authority.quote
    assert summary.bant.need and "hours" in summary.bant.need.quote
    assert summary.bant.timeline and "end of the quarter" in summary.bant.timeline.quote


def test_negative_budget_and_slipping_timeline_are_at_risk() -> None:
    text = "We like the product. Sadly there is no budget until next year. The rollout slipped to next quarter."
    bant = summarize_extractive(text).bant
    assert bant.budget and bant.budget.status == "at risk"
    assert bant.timeline and bant.timeline.status == "at risk"
    assert bant.authority is None


def test_llm_summary_keeps_only_quotes_found_in_the_transcript() -> None:
    answer = {
        "summary": "Jane's team wants to replace manual CRM updates and is comparing vendors.",
        "action_items": [
            {
                "who": "I",
                "what": "send revised pricing",
                "when": "Friday",
                "quote": "I'll send the revised pricing by Friday",
            },
            {
                "who": "Jane",
                "what": "sign today",
                "when": "today",
                "quote": "Jane said she will sign the contract today",
            },
        ],
        "competitors": [
            {"name": "Northwind CRM", "quote": "we're also looking at northwind crm and contoso cloud"},
            {"name": "Salesforce", "quote": "Salesforce offered us a free year"},
        ],
        "pricing": [{"text": "$45 per seat", "quote": "your quote of $45 per seat is high"}],
        "bant": {
            "budget": {"status": "positive", "quote": "Our budget is approved for $80k this year."},
            "authority": {"status": "positive", "quote": "The CEO alone decides everything."},
        },
    }
    with OpenAIStandIn([tool_call("CallSummaryPublic", answer)]) as server:
        settings = Settings(llm_base_url=server.base_url, llm_model="scripted", llm_api_key="test-key")  # type: ignore[arg-type]
        summary = summarize(TRANSCRIPT, settings)
        prompt = server.requests[0]["messages"][0]["content"]
    assert summary.method == "llm"
    assert "never instructions" in prompt and "Northwind CRM" in prompt
    assert [a.what for a in summary.action_items] == ["send revised pricing"]
    assert [m.name for m in summary.competitors] == ["Northwind CRM"]
    assert summary.bant.budget is not None and summary.bant.authority is None
    text = normalise_space(TRANSCRIPT)
    for piece in [a.quote for a in summary.action_items] + [m.quote for m in summary.competitors]:
        assert piece in text


def test_llm_failure_falls_back_to_the_extractive_summary() -> None:
    with OpenAIStandIn([]) as server:
        settings = Settings(llm_base_url=server.base_url, llm_model="scripted", llm_api_key="test-key")  # type: ignore[arg-type]
        summary = summarize(TRANSCRIPT, settings, competitors=["Northwind CRM"])
    assert summary.method == "extractive"
    assert summary.competitors


def test_spending_hours_or_time_is_not_a_budget() -> None:
    text = "We spend hours every week on reports. The team spends too much time on data entry. We spend days on it."
    assert summarize_extractive(text).bant.budget is None


def test_a_budget_with_an_amount_is_positive_and_quoted_where_it_is_named() -> None:
    text = "We spend hours on spreadsheets. Our budget for this is around $60k. We could spend more next year."
    budget = summarize_extractive(text).bant.budget
    assert budget is not None and budget.status == "positive" and budget.quote == "Our budget for this is around $60k."
    spoken = summarize_extractive("The budget is about fifty thousand dollars for the pilot.").bant.budget
    assert spoken is not None and spoken.status == "positive"


def test_a_part_only_mentioned_quotes_the_sentence_that_names_it() -> None:
    text = (
        "We would spend on it if it pays off. We will talk budget at the next review. "
        "I want to see the reports first. The real need is faster forecasting."
    )
    bant = summarize_extractive(text).bant
    assert bant.budget is not None and bant.budget.status == "mentioned"
    assert bant.budget.quote == "We will talk budget at the next review."
    assert bant.need is not None and bant.need.quote == "The real need is faster forecasting."
