"""Admin evaluation pages in the browser: navigation and sign-out, dataset checkboxes from the files on
disk, a run that shows its progress and then its report, the report on a phone, and readable error
pages for people while API clients still get JSON."""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import httpx
import pytest

from assistant.crm.settings import Settings
from evals.cases import DATASETS_DIR, HELDOUT
from tests.support import ADMIN, ALICE, tokens_for
from tests.support.web import PHONE, screenshot, sign_in

pytestmark = pytest.mark.browser

RUN_SECONDS = 480


def signed_in(new_page: Callable[..., Any], email: str, **viewport: Any) -> Any:
    page = new_page(**viewport)
    sign_in(page, email)
    page.wait_for_url("**/chat")
    return page


def test_an_admin_starts_a_run_watches_it_and_lands_on_the_report(new_page: Callable[..., Any]) -> None:
    page = signed_in(new_page, ADMIN)
    page.click(".topnav a:has-text('Evaluations')")
    page.wait_for_url("**/admin/evals")
    assert page.locator("#sign-out").is_visible()

    offered = page.locator("input[name=datasets]").evaluate_all("boxes => boxes.map(box => box.value)")
    on_disk = [path.stem for path in sorted(DATASETS_DIR.glob("*.yaml"))]
    held_out = [f"{HELDOUT}/{path.stem}" for path in sorted((DATASETS_DIR / HELDOUT).glob("*.yaml"))]
    assert offered == on_disk + held_out
    assert page.locator('.dataset-group[data-group="heldout"] input').count() == len(held_out)
    sizes = {
        label.locator("input").get_attribute("value"): int(re.search(r"(\d+) cases", label.inner_text()).group(1))  # type: ignore[union-attr]
        for label in page.locator('.dataset-group[data-group="learned"] label').all()
    }
    smallest = min(sizes, key=lambda name: sizes[name])
    screenshot(page, "admin-evals-desktop.png")

    page.check(f'input[name=datasets][value="{smallest}"]')
    page.click("#start-run")
    page.wait_for_url(re.compile(r"/admin/evals/\d{8}-\d{6}-offline$"))
    run_url = page.url
    assert page.locator("#run-progress").is_visible(), "the run's page shows no progress"
    assert re.search(r"Starting|Running", page.inner_text("#run-state"))
    assert "{" not in page.inner_text("main"), "raw JSON instead of a page"
    screenshot(page, "admin-eval-running.png")

    page.locator("#run-state", has_text=re.compile(r"Running: \d+ of \d+ cases")).wait_for(timeout=RUN_SECONDS * 1000)
    page.locator("h1", has_text="Dealwise evaluation report").wait_for(timeout=RUN_SECONDS * 1000)
    assert page.url == run_url
    assert f"datasets {smallest}" in page.inner_text("body")
    assert page.locator("svg.chart").count() >= 1
    screenshot(page, "admin-eval-report-desktop.png")

    phone = signed_in(new_page, ADMIN, viewport=PHONE)
    phone.goto(run_url)
    chart = phone.locator("svg.chart").first.bounding_box()
    assert chart is not None and chart["x"] >= 0 and chart["x"] + chart["width"] <= PHONE["width"], chart
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], "the report scrolls sideways"
    screenshot(phone, "admin-eval-report-phone.png")
    phone.goto("/admin/evals")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.locator(f'#reports a[href="{urlparse(run_url).path}"]').count() == 1
    screenshot(phone, "admin-evals-phone.png")

    page.click("#sign-out")
    page.wait_for_url("**/login")
    page.goto(run_url)
    assert re.search(r"/login\?next=", page.url), page.url


def test_an_unknown_report_is_a_readable_404_page(new_page: Callable[..., Any]) -> None:
    page = signed_in(new_page, ADMIN)
    response = page.goto("/admin/evals/20990101-000000-offline")
    assert response.status == 404
    assert page.inner_text("#error-title") == "Not found"
    assert page.inner_text("#error-detail") == "No report named '20990101-000000-offline'"


def test_a_non_admin_gets_a_readable_403_page_and_api_clients_get_json(
    new_page: Callable[..., Any], live_url: str, module_settings: Settings
) -> None:
    page = signed_in(new_page, ALICE)
    response = page.goto("/admin/evals")
    assert response.status == 403 and response.headers["content-type"].startswith("text/html")
    assert page.inner_text("#error-title") == "You do not have access to this page"
    assert "for admins only" in page.inner_text("#error-detail")
    assert page.locator("#sign-out").is_visible() and page.locator("a", has_text="Back to the chat").is_visible()
    screenshot(page, "admin-forbidden.png")

    asked_for_json = page.evaluate(
        "async () => { const r = await fetch('/admin/evals', {headers: {Accept: 'application/json'}});"
        " return {status: r.status, type: r.headers.get('content-type'), body: await r.text()}; }"
    )
    assert asked_for_json["status"] == 403 and asked_for_json["type"].startswith("application/json")
    assert "admins only" in asked_for_json["body"]

    api = page.goto("/api/deals")
    assert api.status == 401 and api.headers["content-type"].startswith("application/json")

    token = tokens_for(module_settings)[ALICE]
    with_token = httpx.get(
        f"{live_url}/admin/evals", headers={"Authorization": f"Bearer {token}", "Accept": "text/html"}, timeout=60
    )
    assert with_token.status_code == 403 and with_token.headers["content-type"].startswith("application/json")
