"""POST /api/calls -> a background job -> the call with transcript and summary -> confirm logs it once."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.support import ALICE, BOB, wait_for
from tests.support.calls import OCEANIC_DEAL

pytestmark = pytest.mark.slow


def _auth(tokens: dict[str, str], email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens[email]}"}


def test_upload_job_call_and_confirm(client: TestClient, api_tokens: dict[str, str], clips: dict[str, Path]) -> None:
    alice = _auth(api_tokens, ALICE)
    with clips["sales_call"].open("rb") as audio:
        response = client.post(
            "/api/calls",
            headers=alice,
            files={"audio": ("sales-call.wav", audio, "audio/wav")},
            data={"deal_id": str(OCEANIC_DEAL), "kind": "call"},
        )
    assert response.status_code == 202, response.text
    accepted = response.json()

    def job() -> dict:
        return client.get(accepted["job_url"], headers=alice).json()

    wait_for(lambda: job()["status"] in ("done", "failed"), timeout_s=120)
    finished = job()
    assert finished["status"] == "done" and finished["attempts"] == 1 and finished["progress"] == 1.0
    assert client.get(accepted["job_url"], headers=_auth(api_tokens, BOB)).status_code == 404

    call = client.get(accepted["call_url"], headers=alice).json()
    assert "Northwind" in call["transcript"] and call["status"] == "transcribed"
    assert call["summary"]["competitors"][0]["name"] == "Northwind CRM"
    assert call["proposal"]["kind"] == "log_call" and call["activity"] is None
    assert client.get(accepted["call_url"], headers=_auth(api_tokens, BOB)).status_code == 404

    logged = client.post(f"{accepted['call_url']}/confirm", headers=alice).json()
    again = client.post(f"{accepted['call_url']}/confirm", headers=alice).json()
    assert logged["activity"]["type"] == "call" and logged["activity"] == again["activity"]
    activities = client.get(f"/api/deals/{OCEANIC_DEAL}", headers=alice)
    assert activities.status_code == 200


def test_oversize_and_bad_uploads(client: TestClient, api_tokens: dict[str, str]) -> None:
    alice = _auth(api_tokens, ALICE)
    too_big = b"\0" * (client.app.state.context.settings.max_upload_bytes + 1)  # type: ignore[attr-defined]
    response = client.post("/api/calls", headers=alice, files={"audio": ("big.wav", too_big, "audio/wav")})
    assert response.status_code == 413 and "upload limit" in response.json()["detail"]
    empty = client.post("/api/calls", headers=alice, files={"audio": ("empty.mp3", b"", "audio/mpeg")})
    assert empty.status_code == 422 and "empty" in str(empty.json())
    bad = client.post("/api/calls", headers=alice, files={"audio": ("notes.mp3", b"plain text" * 50, "audio/mpeg")})
    assert bad.status_code == 202
    job_url = bad.json()["job_url"]
    wait_for(lambda: client.get(job_url, headers=alice).json()["status"] == "failed")
    failed = client.get(job_url, headers=alice).json()
    assert "not audio we can read" in failed["error"] and failed["attempts"] == 1
    call = client.get(bad.json()["call_url"], headers=alice).json()
    assert call["status"] == "failed" and "notes.mp3" in call["error"] and call["activity"] is None
    assert client.post("/api/calls", files={"audio": ("x.wav", b"x", "audio/wav")}).status_code == 401
