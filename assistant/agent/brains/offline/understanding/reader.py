"""A message as words with positions, and which words each part of the plan has used.

Every recognizer claims the words it read. What nobody claimed, and is not filler, is what the
assistant did not understand: it says so instead of answering a different question.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

WORD = re.compile(r"[a-z0-9][a-z0-9'’&.$%-]*[a-z0-9%]|[a-z0-9]", re.I)


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        return self.text.lower().replace("’", "'").removesuffix("'s")


@dataclass
class Reader:
    text: str
    tokens: list[Token] = field(init=False)
    claims: dict[int, str] = field(default_factory=dict)
    """token index -> what used it (period, measure, name…)"""

    def __post_init__(self) -> None:
        self.tokens = [Token(m.group(), m.start(), m.end()) for m in WORD.finditer(self.text)]

    def _indexes(self, start: int, end: int) -> list[int]:
        return [i for i, t in enumerate(self.tokens) if t.start < end and t.end > start]

    def free(self, start: int, end: int) -> bool:
        return not any(i in self.claims for i in self._indexes(start, end))

    def claim(self, start: int, end: int, by: str) -> None:
        for i in self._indexes(start, end):
            self.claims.setdefault(i, by)

    def _free_matches(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Matches whose words are all free, left to right; after a match over claimed words the search goes on
        from its next character, so "split it by rep" still finds "by rep" once "split" is taken."""
        position = 0
        while (match := pattern.search(self.text, position)) is not None:
            if match.end() > match.start() and self.free(match.start(), match.end()):
                yield match
                position = match.end()
            else:
                position = match.start() + 1

    def search(self, pattern: re.Pattern[str], claim: str | None = None) -> re.Match[str] | None:
        """The first match whose words are all still free; claimed for ``claim`` when given."""
        for match in self._free_matches(pattern):
            if claim:
                self.claim(match.start(), match.end(), claim)
            return match
        return None

    def all(self, pattern: re.Pattern[str], claim: str | None = None) -> Iterator[re.Match[str]]:
        for match in self._free_matches(pattern):
            if claim:
                self.claim(match.start(), match.end(), claim)
            yield match

    def has(self, pattern: re.Pattern[str]) -> bool:
        return pattern.search(self.text) is not None

    def unclaimed(self) -> list[Token]:
        return [t for i, t in enumerate(self.tokens) if i not in self.claims]

    def leftover(self, fillers: frozenset[str]) -> list[str]:
        """Unclaimed words that carry meaning, in message order (runs joined into phrases)."""

        def meaningful(i: int, token: Token) -> bool:
            word = token.word
            return i not in self.claims and not (
                word in fillers or word.isdigit() or len(word) < 2 or not re.search(r"[a-z]", word)
            )

        return self._runs(meaningful)

    def claimed_by(self, by: str) -> list[str]:
        """The words claimed for ``by``, in message order (runs joined into phrases)."""
        return self._runs(lambda i, _token: self.claims.get(i) == by)

    def _runs(self, chosen: Callable[[int, Token], bool]) -> list[str]:
        phrases: list[list[str]] = []
        previous = -2
        for i, token in enumerate(self.tokens):
            if not chosen(i, token):
                continue
            if i == previous + 1 and phrases:
                phrases[-1].append(token.text)
            else:
                phrases.append([token.text])
            previous = i
        return [" ".join(p) for p in phrases]
