"""/docs works offline: Swagger UI comes from this server, nothing is fetched elsewhere, and "Authorize"
takes an API token that then works on a "Try it out" call."""

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from assistant.crm.settings import Settings
from tests.support import ALICE, tokens_for
from tests.support.web import PHONE, screenshot

pytestmark = pytest.mark.browser


def test_the_openapi_document_declares_the_bearer_scheme_on_token_routes(live_url: str) -> None:
    document = httpx.get(f"{live_url}/openapi.json", timeout=60).json()
    schemes = document["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["bearerAuth"].items()
    token_routes = (("/api/deals", "get"), ("/api/me", "get"), ("/api/chat", "post"), ("/admin/evals/run", "post"))
    for path, method in token_routes:
        assert {"bearerAuth": []} in document["paths"][path][method].get("security", []), f"{method} {path}"
    parameters = document["paths"]["/api/deals"]["get"].get("parameters", [])
    assert not [p for p in parameters if p["in"] == "header" and p["name"].lower() == "authorization"]


def test_docs_render_from_this_server_alone_and_authorize_works(
    new_page: Callable[..., Any], live_url: str, module_settings: Settings
) -> None:
    page = new_page()
    requested: list[str] = []
    refused: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: refused.append(message.text) if "Security Policy" in message.text else None)
    response = page.goto("/docs")
    assert response.status == 200
    page.locator(".swagger-ui .info .title", has_text="Dealwise").wait_for()
    page.locator(".opblock-summary-path[data-path='/api/deals']").first.wait_for()
    outside = [url for url in requested if not url.startswith(live_url) and not url.startswith("data:")]
    assert outside == [], f"/docs asked other hosts: {outside}"
    assert any(url.endswith("/static/docs/swagger-ui-bundle.js") for url in requested)
    assert refused == [], refused

    page.click("button.authorize")
    page.locator(".auth-container input").fill(tokens_for(module_settings)[ALICE])
    page.locator(".auth-btn-wrapper button.authorize").click()
    page.locator(".auth-btn-wrapper button.btn-done").click()
    operation = page.locator(".opblock", has=page.locator(".opblock-summary-path[data-path='/api/me']")).first
    operation.locator(".opblock-summary").click()
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    result = operation.locator(".live-responses-table .response .response-col_status").first
    result.wait_for()
    assert result.inner_text().strip().startswith("200")
    assert ALICE in operation.locator(".live-responses-table").first.inner_text()
    screenshot(page, "docs-authorized-desktop.png")
    outside = [url for url in requested if not url.startswith(live_url) and not url.startswith("data:")]
    assert outside == [], f"/docs asked other hosts: {outside}"


def test_docs_fit_a_phone(new_page: Callable[..., Any]) -> None:
    page = new_page(viewport=PHONE)
    page.goto("/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    authorize = page.locator("button.authorize").bounding_box()
    assert authorize is not None and authorize["x"] + authorize["width"] <= PHONE["width"], "Authorize is off screen"
    screenshot(page, "docs-phone.png")
