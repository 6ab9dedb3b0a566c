"""Security headers on pages, API answers and errors; the pages need no inline script (issue 14, finding 9)."""

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.support import ADMIN, ALICE

TEMPLATES = Path(__file__).resolve().parents[2] / "adapters" / "web" / "pages" / "templates"


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in policy.split("; ")}


def assert_hardened(response) -> dict[str, str]:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    found = directives(response)
    assert found["frame-ancestors"] == "'none'" and found["object-src"] == "'none'"
    assert "'unsafe-inline'" not in found["script-src"] and "'unsafe-eval'" not in found["script-src"]
    return found


@pytest.mark.parametrize(
    "path,status",
    [("/login", 200), ("/static/chat.js", 200), ("/api/me", 401), ("/api/deals/999999", 404), ("/nowhere", 404)],
)
def test_every_kind_of_response_carries_the_headers(
    client: TestClient, api_tokens: dict[str, str], path: str, status: int
):  # fmt: skip
    headers = {"Authorization": f"Bearer {api_tokens[ALICE]}"} if path.startswith("/api/deals") else {}
    response = client.get(path, headers=headers)
    assert response.status_code == status
    found = assert_hardened(response)
    assert found["script-src"] == "'self'" and found["style-src"] == "'self'" and found["default-src"] == "'self'"


def test_api_answers_and_validation_errors_carry_them(client: TestClient, api_tokens: dict[str, str]):
    auth = {"Authorization": f"Bearer {api_tokens[ALICE]}"}
    assert_hardened(client.get("/api/me", headers=auth))
    invalid = client.post("/api/deals", json={"name": ""}, headers=auth)
    assert invalid.status_code == 422
    assert_hardened(invalid)


def test_api_docs_run_under_the_same_policy(client: TestClient):
    page = client.get("/docs")
    assert page.status_code == 200
    found = assert_hardened(page)
    assert found["script-src"] == "'self'" and not re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page.text)


def test_eval_reports_may_style_inline_but_not_script(client: TestClient, api_tokens: dict[str, str]):
    page = client.get("/admin/evals", headers={"Authorization": f"Bearer {api_tokens[ADMIN]}"})
    found = assert_hardened(page)
    assert found["script-src"] == "'self'" and "'unsafe-inline'" in found["style-src"]


def test_https_deployments_also_get_hsts(settings_for, db_url: str, make_app) -> None:
    with TestClient(make_app(settings_for(db_url, base_url="https://crm.example.com"))) as secure:
        assert secure.get("/login").headers["Strict-Transport-Security"].startswith("max-age=")


def test_page_templates_hold_no_inline_script_or_event_handler():
    offenders = []
    for template in sorted(TEMPLATES.glob("*.html")):
        text = template.read_text()
        offenders += [f"{template.name}: {m}" for m in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text)]
        offenders += [f"{template.name}: {m}" for m in re.findall(r"\son[a-z]+\s*=", text, re.IGNORECASE)]
        offenders += [f"{template.name}: {m}" for m in re.findall(r"javascript:", text, re.IGNORECASE)]
    assert offenders == []
