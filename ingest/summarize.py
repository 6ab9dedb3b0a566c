"""Call summaries from a transcript: an LLM with quote checking when one is configured, else extractive.

Nothing is invented: every item carries a ``quote`` that is a span of the transcript (after
whitespace normalisation). The extractive method copies whole sentences or spans; the LLM method
drops any statement whose quote cannot be found (rapidfuzz ``partial_ratio`` >= 90) and replaces
the quote it gave with the matching transcript span.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from assistant.chat_models import chat_model_from_settings
from assistant.crm.settings import Settings
from ingest.embeddings import LocalEmbedder
from prompts import prompt_path

log = logging.getLogger(__name__)

PROMPT_PATH = prompt_path("call_summary.md")
QUOTE_MIN_SCORE = 90.0
MAX_ITEMS = 8

BantStatus = Literal["positive", "at risk", "mentioned"]


class Statement(BaseModel):
    text: str = Field(description="the point, in a few words")
    quote: str = Field(description="the words from the transcript that support it, verbatim")


class ActionItem(BaseModel):
    who: str | None = Field(default=None, description="who committed: a name, 'I', 'we' or 'they'")
    what: str
    when: str | None = Field(default=None, description="the due time as said, e.g. 'by Friday'")
    quote: str


class Mention(BaseModel):
    name: str
    quote: str


class BantSignal(BaseModel):
    status: BantStatus
    quote: str


class Bant(BaseModel):
    budget: BantSignal | None = None
    authority: BantSignal | None = None
    need: BantSignal | None = None
    timeline: BantSignal | None = None


class CallSummaryPublic(BaseModel):
    """What a call said, each point with the transcript words it rests on."""

    summary: str
    action_items: list[ActionItem] = Field(default_factory=list)
    next_steps: list[Statement] = Field(default_factory=list)
    objections: list[Statement] = Field(default_factory=list)
    competitors: list[Mention] = Field(default_factory=list)
    pricing: list[Statement] = Field(default_factory=list)
    bant: Bant = Field(default_factory=Bant)
    method: Literal["llm", "extractive"] = "extractive"


WHEN = (
    r"(?:by|before|on|until|next|this|end of(?: the)?)\s+(?:the\s+)?"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|month|quarter|year|"
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)(?:\s+\d{1,2})?|"
    r"q[1-4]|end of (?:the )?(?:week|month|quarter|year))"
    r"|\btomorrow\b|\btoday\b|\bin (?:\d+|a|one|two|three|four) (?:days?|weeks?|months?)"
)
WHEN_RE = re.compile(WHEN, re.IGNORECASE)
COMMITMENT_RE = re.compile(
    r"\b(?P<who>I|we|they|you|[A-Z][a-z]+)\s*(?:'ll|\s+will|\s+(?:am|is|are) going to|\s+can|\s+promised to)\s+"
    r"(?P<what>(?:send|share|follow|set|schedule|book|get|prepare|draft|loop|introduce|review|sign|call|email|"
    r"put|provide|check|confirm|circle|reach|arrange|run|talk|update|finalize|finalise|deliver)\b[^.!?]*)",
)
NEXT_STEP_RE = re.compile(
    r"\bnext steps?\b|\bfollow[- ]up\b|\bschedule\b|\bbook (?:a|the)\b|\bset up\b|\bget back to\b|\bcircle back\b",
    re.IGNORECASE,
)
OBJECTION_RE = re.compile(
    r"\bconcern(?:ed|s)?\b|\bworr(?:ied|y)\b|\btoo expensive\b|\bexpensive\b|\bnot sure\b|\bhesita\w*|\bblocker\b"
    r"|\bpush ?back\b|\bdon't (?:think|have|see)\b|\bcan't\b|\bcannot\b|\bproblem with\b|\bissue with\b"
    r"|\bno budget\b|\bout of (?:our )?budget\b",
    re.IGNORECASE,
)
AMOUNT_RE = re.compile(
    r"\$\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|thousand|million)?\b|\b\d[\d,]*(?:\.\d+)?\s?(?:k|thousand|million)\b"
    r"|\b\d[\d,]*\s?(?:dollars|euros|pounds)\b|\b\d[\d,]*\s?(?:seats?|licen[cs]es?|users?)\b"
    r"|\b\d+(?:\.\d+)?\s?(?:%|percent)",
    re.IGNORECASE,
)
PRICING_RE = re.compile(r"\bpric(?:e|es|ing)\b|\bdiscount\b|\bper (?:seat|user|month|year)\b|\bquote\b|\bcost", re.I)
BANT_CUES: dict[str, tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]] = {
    "budget": (
        re.compile(
            r"\bbudget\b|\bfunding\b|\bafford\b|\bspend\b(?![^.!?]{0,25}\b(?:hours?|time|days?|weeks?|minutes?)\b)",
            re.I,
        ),
        re.compile(
            r"\b(?:budget|funding)\b[^.!?]{0,30}\b(?:approved|allocated|signed off|set aside)\b"
            r"|\bhave (?:the )?budget\b",
            re.I,
        ),
        re.compile(r"\bno budget\b|\bbudget (?:is )?(?:frozen|tight|cut)\b|\bcan't afford\b|\bnot approved\b", re.I),
    ),
    "authority": (
        re.compile(
            r"\bdecision[- ]maker\b|\bsigns? off\b|\bfinal say\b|\bapprov(?:e|es|al)\b|\bdecides?\b|\bCFO\b"
            r"|\bCEO\b|\bVP\b|\bprocurement\b|\bboard\b",
            re.I,
        ),
        re.compile(r"\b(?:is|am|are) the decision[- ]maker\b|\bfinal say\b|\bcan sign\b", re.I),
        re.compile(r"\bneeds? (?:to get )?(?:sign[- ]off|approval)\b|\bnot the decision[- ]maker\b|\bboard\b", re.I),
    ),
    "need": (
        re.compile(
            r"\bneed\b|\bpain\b|\bstruggl\w+|\bspend(?:s|ing)? hours\b|\blooking for\b|\bwant(?:s)? to\b"
            r"|\bproblem\b|\bchallenge\b",
            re.I,
        ),
        re.compile(r"\bpain\b|\bstruggl\w+|\bspend(?:s|ing)? hours\b|\bmust have\b|\bcritical\b", re.I),
        re.compile(r"\bnot a priority\b|\bnice to have\b|\bno (?:real )?need\b", re.I),
    ),
    "timeline": (
        re.compile(
            r"\btimeline\b|\bdeadline\b|\bgo[- ]live\b|\bend of (?:the )?(?:quarter|year|month)\b"
            r"|\bthis quarter\b|\bnext (?:month|quarter)\b|\bby (?:q[1-4]|january|february|march|april|may"
            r"|june|july|august|september|october|november|december)\b|\bslip\w*",
            re.I,
        ),
        re.compile(r"\bgo[- ]live\b|\bdeadline\b|\bbefore the end of\b|\bby the end of\b", re.I),
        re.compile(r"\bslipp?(?:ed|ing)?\b|\bdelay\w*|\bpushed (?:back|out)\b|\bno rush\b|\bnot until\b", re.I),
    ),
}
MONEY_RE = re.compile(
    r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:k|m|thousand|million|dollars|euros|pounds)\b"
    r"|\b(?:thousand|million) (?:dollars|euros|pounds)\b",
    re.I,
)
"""an amount of money: with it a budget is known, so it counts as positive"""
BANT_NAMES: dict[str, re.Pattern[str]] = {
    "budget": re.compile(r"\bbudget\b", re.I),
    "authority": re.compile(r"\bauthority\b|\bdecision[- ]maker\b", re.I),
    "need": re.compile(r"\bneeds?\b", re.I),
    "timeline": re.compile(r"\btimeline\b|\bdeadline\b", re.I),
}
"""the words that name each part: a merely "mentioned" part quotes a sentence naming it when there is one"""
SENTENCE_RE = re.compile(r"[^.!?]+(?:[.!?]+|$)")


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def split_sentences(text: str) -> list[str]:
    """The transcript's sentences, whitespace-normalised, each a substring of the normalised text."""
    return [s.strip() for s in SENTENCE_RE.findall(normalise_space(text)) if len(s.strip()) > 1]


def _competitor_pattern(name: str) -> re.Pattern[str]:
    first = name.split()[0]
    alternatives = [re.escape(name)] + ([re.escape(first)] if len(first) >= 5 and first != name else [])
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.IGNORECASE)


def salient_sentences(sentences: list[str], k: int, embedder: Any, diversity: float = 0.3) -> list[str]:
    """Up to ``k`` sentences by MMR over centroid similarity, returned in transcript order."""
    if len(sentences) <= k:
        return list(sentences)
    vectors = np.asarray(embedder.embed_array(sentences), dtype=np.float32)
    centroid = vectors.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    relevance = vectors @ centroid
    chosen: list[int] = []
    while len(chosen) < k:
        best, best_score = -1, -np.inf
        for i in range(len(sentences)):
            if i in chosen:
                continue
            redundancy = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            score = (1 - diversity) * float(relevance[i]) - diversity * redundancy
            if score > best_score:
                best, best_score = i, score
        chosen.append(best)
    return [sentences[i] for i in sorted(chosen)]


def _action_items(sentences: list[str]) -> list[ActionItem]:
    items: list[ActionItem] = []
    for sentence in sentences:
        for match in COMMITMENT_RE.finditer(sentence):
            what = match.group("what").strip().rstrip(",;")
            when = WHEN_RE.search(what)
            items.append(
                ActionItem(who=match.group("who"), what=what, when=when.group(0) if when else None, quote=sentence)
            )
    return items[:MAX_ITEMS]


def _matching(sentences: list[str], pattern: re.Pattern[str]) -> list[Statement]:
    found = [Statement(text=m.group(0), quote=s) for s in sentences if (m := pattern.search(s))]
    return found[:MAX_ITEMS]


def _pricing(sentences: list[str]) -> list[Statement]:
    found: list[Statement] = []
    for sentence in sentences:
        amounts = [m.group(0).strip() for m in AMOUNT_RE.finditer(sentence)]
        if amounts and (PRICING_RE.search(sentence) or any("$" in a or "%" in a for a in amounts)):
            found.extend(Statement(text=amount, quote=sentence) for amount in amounts)
        elif not amounts and PRICING_RE.search(sentence):
            found.append(Statement(text=PRICING_RE.search(sentence).group(0), quote=sentence))  # type: ignore[union-attr]
    return found[:MAX_ITEMS]


def _bant(sentences: list[str]) -> Bant:
    signals: dict[str, BantSignal] = {}
    for kind, (cue, positive, negative) in BANT_CUES.items():
        candidates = [s for s in sentences if cue.search(s)]
        if not candidates:
            continue
        risky = next((s for s in candidates if negative.search(s)), None)
        strong = next((s for s in candidates if positive.search(s) or (kind == "budget" and MONEY_RE.search(s))), None)
        if risky is not None:
            signals[kind] = BantSignal(status="at risk", quote=risky)
        elif strong is not None:
            signals[kind] = BantSignal(status="positive", quote=strong)
        else:
            named = next((s for s in candidates if BANT_NAMES[kind].search(s)), candidates[0])
            signals[kind] = BantSignal(status="mentioned", quote=named)
    return Bant(**signals)


def summarize_extractive(
    transcript: str, embedder: Any = None, competitors: list[str] | None = None
) -> CallSummaryPublic:
    """Summary sentences by embedding salience, the rest by patterns; every string comes from ``transcript``."""
    sentences = split_sentences(transcript)
    if embedder is None:
        embedder = LocalEmbedder()
    k = min(5, max(3, len(sentences) // 4))
    summary = " ".join(salient_sentences(sentences, k, embedder))
    mentions: list[Mention] = []
    for name in competitors or ():
        pattern = _competitor_pattern(name)
        quote = next((s for s in sentences if pattern.search(s)), None)
        if quote is not None:
            mentions.append(Mention(name=name, quote=quote))
    return CallSummaryPublic(
        summary=summary,
        action_items=_action_items(sentences),
        next_steps=_matching(sentences, NEXT_STEP_RE),
        objections=_matching(sentences, OBJECTION_RE),
        competitors=mentions,
        pricing=_pricing(sentences),
        bant=_bant(sentences),
        method="extractive",
    )


def locate_quote(quote: str, transcript: str) -> str | None:
    """The transcript span matching ``quote`` (partial_ratio >= 90), or None when it is not there."""
    text, wanted = normalise_space(transcript), normalise_space(quote)
    if not wanted:
        return None
    if wanted.lower() in text.lower():
        start = text.lower().index(wanted.lower())
        return text[start : start + len(wanted)]
    alignment = fuzz.partial_ratio_alignment(wanted.lower(), text.lower())
    if alignment is None or alignment.score < QUOTE_MIN_SCORE:
        return None
    return text[alignment.dest_start : alignment.dest_end].strip() or None


def ground_summary(summary: CallSummaryPublic, transcript: str) -> CallSummaryPublic:
    """Keep only statements whose quotes are in the transcript, with the quote replaced by the real span."""

    def kept(items: list[Any]) -> list[Any]:
        grounded = []
        for item in items:
            span = locate_quote(item.quote, transcript)
            if span is not None:
                grounded.append(item.model_copy(update={"quote": span}))
        return grounded[:MAX_ITEMS]

    bant: dict[str, BantSignal | None] = {}
    for kind in ("budget", "authority", "need", "timeline"):
        signal = getattr(summary.bant, kind)
        span = locate_quote(signal.quote, transcript) if signal is not None else None
        bant[kind] = signal.model_copy(update={"quote": span}) if signal is not None and span else None
    return summary.model_copy(
        update={
            "action_items": kept(summary.action_items),
            "next_steps": kept(summary.next_steps),
            "objections": kept(summary.objections),
            "competitors": kept(summary.competitors),
            "pricing": kept(summary.pricing),
            "bant": Bant(**bant),
            "method": "llm",
        }
    )


def summarize_llm(transcript: str, chat_model: Any) -> CallSummaryPublic:
    """Structured output from ``chat_model`` with the prompt in prompts/call_summary.md, then quote-checked."""
    prompt = PROMPT_PATH.read_text(encoding="utf-8").replace("{transcript}", transcript)
    structured = chat_model.with_structured_output(CallSummaryPublic, method="function_calling")
    raw = structured.invoke(prompt)
    result = raw if isinstance(raw, CallSummaryPublic) else CallSummaryPublic.model_validate(raw)
    return ground_summary(result, transcript)


def summarize(
    transcript: str,
    settings: Settings | None = None,
    embedder: Any = None,
    chat_model: Any = None,
    competitors: Sequence[str] = (),
) -> CallSummaryPublic:
    """The LLM summary when a model is configured (falling back to extractive if it fails), else extractive.

    ``competitors`` are the names the extractive summary looks for (``crm.services.catalog.competitor_names``).
    """
    if chat_model is None and settings is not None and settings.llm_configured:
        chat_model = chat_model_from_settings(settings)
    if chat_model is not None:
        try:
            return summarize_llm(transcript, chat_model)
        except Exception:
            log.exception("LLM call summary failed; using the extractive summary")
    return summarize_extractive(transcript, embedder, list(competitors))
