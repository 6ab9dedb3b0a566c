"""The receiving mail server's verdict on who sent a mail: its Authentication-Results header (RFC 8601).

SMTP itself does not authenticate the From address; the mail server in front of Dealwise checks
SPF, DKIM and DMARC and writes what it found into an Authentication-Results header. Dealwise reads
the headers it trusts: those whose authserv-id is DEALWISE_EMAIL_AUTHSERV_ID when that is set, else
only the topmost one (the one the server nearest to Dealwise added). The verdict is

* pass: DMARC passed for the From domain, or DKIM or SPF passed for a domain aligned with it;
* fail: DMARC failed, or nothing aligned passed and SPF or DKIM failed;
* none: no trusted header, or only results that say nothing (none, neutral, temperror).
"""

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Literal

import authres

Verdict = Literal["pass", "fail", "none"]
FAILING = frozenset({"fail", "softfail", "permerror", "policy"})


@dataclass(frozen=True)
class SenderCheck:
    verdict: Verdict
    detail: str


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().lower().rstrip(".")


def _aligned(domain: str, sender_domain: str) -> bool:
    """Relaxed alignment: the same domain, or one is an organisational parent of the other."""
    return bool(domain) and (
        domain == sender_domain or sender_domain.endswith("." + domain) or domain.endswith("." + sender_domain)
    )


def _property(result: Any, *names: str) -> str:
    for prop in result.properties:
        if f"{prop.type}.{prop.name}".lower() in names:
            return _domain(str(prop.value))
    return ""


def trusted_headers(message: EmailMessage, authserv_id: str | None) -> list[Any]:
    parsed = []
    for raw in message.get_all("Authentication-Results") or []:
        try:
            header = authres.AuthenticationResultsHeader.parse_value(" ".join(str(raw).split()))
        except authres.core.AuthResError:
            continue
        if authserv_id is None:
            return [header]
        if str(header.authserv_id).lower() == authserv_id.lower():
            parsed.append(header)
    return parsed


def sender_check(message: EmailMessage, sender: str, authserv_id: str | None) -> SenderCheck:
    """What the trusted Authentication-Results say about `sender` (the From address)."""
    headers = trusted_headers(message, authserv_id)
    if not headers:
        return SenderCheck("none", "no Authentication-Results from the receiving mail server")
    sender_domain = _domain(sender)
    results = [result for header in headers for result in header.results]
    seen = ", ".join(f"{r.method}={r.result}" for r in results) or "none"
    dmarc = [r for r in results if r.method == "dmarc" and _property(r, "header.from") in ("", sender_domain)]
    if any(r.result == "pass" for r in dmarc):
        return SenderCheck("pass", seen)
    if any(r.result in FAILING for r in dmarc):
        return SenderCheck("fail", seen)
    for result in results:
        if result.result != "pass":
            continue
        if result.method == "dkim" and _aligned(_property(result, "header.d", "header.i"), sender_domain):
            return SenderCheck("pass", seen)
        if result.method == "spf" and _aligned(_property(result, "smtp.mailfrom"), sender_domain):
            return SenderCheck("pass", seen)
    if any(r.method in ("spf", "dkim") and r.result in FAILING for r in results):
        return SenderCheck("fail", seen)
    return SenderCheck("none", seen)
