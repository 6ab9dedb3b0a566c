"""Finding the same person or company twice: exact keys first, fuzzy company names within blocks.

People (contacts, leads): the normalised email, else the normalised phone plus the normalised name.
Companies: the web domain, else the normalised name (legal suffixes, case and punctuation dropped),
else a rapidfuzz ratio >= 92 against names sharing the first three characters.

An email or a web domain says who a record is (IDENTITY_KEYS); a name, or a phone with a name, only that it
looks alike. The importer never merges two records with distinct ids from the same source on a look-alike
match: it reports them as possible duplicates.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process

IDENTITY_KEYS = frozenset({"email", "domain"})
FUZZY_THRESHOLD = 92
BLOCK_CHARS = 3
LEGAL_SUFFIXES = {
    "inc", "incorporated", "ltd", "limited", "llc", "llp", "gmbh", "ag", "corp", "corporation", "co",
    "company", "plc", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "oy", "ab", "pty", "kg", "kk",
}  # fmt: skip


@dataclass(eq=False)
class Target:
    """A record the import writes to: one already in the database, or one created by this import."""

    kind: str
    id: int | None
    values: dict[str, Any]
    external_source: str | None = None
    external_id: str | None = None
    created_now: bool = False
    label: str = ""


def _ascii_lower(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def normal_email(email: str | None) -> str | None:
    text = (email or "").strip().lower()
    return text if "@" in text else None


def normal_phone(phone: str | None) -> str | None:
    """Digits only, with the country code: 10 digits are taken as North American (+1), 00 as the '+' prefix."""
    if not phone:
        return None
    text = re.split(r"(?i)\s*(?:x|ext\.?)\s*\d+$", phone.strip())[0]
    digits = re.sub(r"\D", "", text)
    if digits.startswith("00"):
        digits = digits[2:]
    elif not text.startswith("+") and len(digits) == 10:
        digits = "1" + digits
    return digits if len(digits) >= 7 else None


def normal_person(first: str | None, last: str | None) -> str:
    return re.sub(r"[^a-z]", "", _ascii_lower(f"{first or ''}{last or ''}"))


def normal_domain(website: str | None) -> str | None:
    text = (website or "").strip().lower()
    if not text:
        return None
    if "@" in text:
        text = text.rsplit("@", 1)[1]
    if "//" not in text:
        text = "//" + text
    host = (urlsplit(text).hostname or "").removeprefix("www.")
    return host if "." in host else None


def normal_company(name: str | None) -> str:
    words = re.sub(r"[^a-z0-9& ]", " ", _ascii_lower(name or "")).split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


@dataclass
class PeopleIndex:
    by_email: dict[str, Target] = field(default_factory=dict)
    by_phone_name: dict[tuple[str, str], Target] = field(default_factory=dict)

    def find(
        self, email: str | None, phone: str | None, first: str | None, last: str | None
    ) -> tuple[Target, str] | None:
        key = normal_email(email)
        if key and key in self.by_email:
            return self.by_email[key], "email"
        digits, name = normal_phone(phone), normal_person(first, last)
        if digits and name and (digits, name) in self.by_phone_name:
            return self.by_phone_name[(digits, name)], "phone and name"
        return None

    def add(self, target: Target, email: str | None, phone: str | None, first: str | None, last: str | None) -> None:
        key = normal_email(email)
        if key:
            self.by_email.setdefault(key, target)
        digits, name = normal_phone(phone), normal_person(first, last)
        if digits and name:
            self.by_phone_name.setdefault((digits, name), target)


@dataclass
class CompanyIndex:
    by_domain: dict[str, Target] = field(default_factory=dict)
    by_name: dict[str, Target] = field(default_factory=dict)
    all_by_name: dict[str, list[Target]] = field(default_factory=dict)
    blocks: dict[str, list[str]] = field(default_factory=dict)

    def find(self, domain: str | None, name: str | None) -> tuple[Target, str] | None:
        host = normal_domain(domain)
        if host and host in self.by_domain:
            return self.by_domain[host], "domain"
        key = normal_company(name)
        if not key:
            return None
        if key in self.by_name:
            return self.by_name[key], "name"
        digits = re.findall(r"\d+", key)
        for candidate, score, _ in process.extract(
            key, self.blocks.get(key[:BLOCK_CHARS], []), scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD, limit=5
        ):
            target = self.by_name[candidate]
            other_host = normal_domain(target.values.get("domain"))
            if re.findall(r"\d+", candidate) == digits and not (host and other_host and host != other_host):
                return target, f"similar name ({score:.0f}%)"
        return None

    def named(self, name: str) -> list[Target]:
        """Every company with this normalised name (a link by name is only safe when there is one)."""
        return self.all_by_name.get(normal_company(name), [])

    def add(self, target: Target, domain: str | None, name: str | None) -> None:
        host = normal_domain(domain)
        if host:
            self.by_domain.setdefault(host, target)
        key = normal_company(name)
        if key:
            self.all_by_name.setdefault(key, []).append(target)
        if key and key not in self.by_name:
            self.by_name[key] = target
            self.blocks.setdefault(key[:BLOCK_CHARS], []).append(key)
