"""The pieces of CRM text the retrieval index holds: chunks with the fields queries filter on, and hits."""

from datetime import date, datetime

from pydantic import BaseModel, computed_field, field_validator

_EPOCH = date(1970, 1, 1)

Metadata = dict[str, str | int | float | bool]


def _parse_day(value: str) -> date:
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return date.fromisoformat(value)


def epoch_day(day: date) -> int:
    """Days since 1970-01-01, the form ``occurred_day`` is stored in for range filters."""
    return (day - _EPOCH).days


class NoteChunk(BaseModel):
    """One indexed piece of a CRM record's text, with the fields queries filter on."""

    id: str
    text: str
    record_type: str
    record_id: int
    owner_id: int
    occurred_at: str
    account_id: int | None = None
    deal_id: int | None = None
    team_id: int | None = None

    @field_validator("occurred_at")
    @classmethod
    def _iso(cls, value: str) -> str:
        try:
            _parse_day(value)
        except ValueError as exc:
            raise ValueError(f"occurred_at must be an ISO date or datetime, got {value!r}") from exc
        return value

    @computed_field  # type: ignore[prop-decorator]
    @property
    def occurred_day(self) -> int:
        return epoch_day(_parse_day(self.occurred_at))

    def metadata(self) -> Metadata:
        meta: Metadata = {
            "record_type": self.record_type,
            "record_id": self.record_id,
            "owner_id": self.owner_id,
            "occurred_at": self.occurred_at,
            "occurred_day": self.occurred_day,
        }
        for key in ("account_id", "deal_id", "team_id"):
            value = getattr(self, key)
            if value is not None:
                meta[key] = value
        return meta


class NoteHit(BaseModel):
    record_type: str
    record_id: int
    text: str
    score: float
    metadata: Metadata


def chunk_text(text: str, max_words: int = 120, overlap: int = 20) -> list[str]:
    """Split ``text`` into windows of at most ``max_words`` words, each sharing ``overlap`` with the last."""
    if not 0 <= overlap < max_words:
        raise ValueError("overlap must be at least 0 and smaller than max_words")
    words = text.split()
    if not words:
        return []
    step = max_words - overlap
    chunks: list[str] = []
    for start in range(0, len(words), step):
        chunks.append(" ".join(words[start : start + max_words]))
        if start + max_words >= len(words):
            break
    return chunks


def record_chunks(
    text: str,
    *,
    record_type: str,
    record_id: int,
    owner_id: int,
    occurred_at: str,
    account_id: int | None = None,
    deal_id: int | None = None,
    team_id: int | None = None,
) -> list[NoteChunk]:
    """The chunks of one record, with stable ids ``{record_type}:{record_id}:{n}``."""
    return [
        NoteChunk(
            id=f"{record_type}:{record_id}:{n}",
            text=piece,
            record_type=record_type,
            record_id=record_id,
            owner_id=owner_id,
            occurred_at=occurred_at,
            account_id=account_id,
            deal_id=deal_id,
            team_id=team_id,
        )
        for n, piece in enumerate(chunk_text(text))
    ]
