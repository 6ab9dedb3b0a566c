"""POST /api/chat, confirm, cancel and the thread listing, through the web app with bearer tokens."""

from sqlalchemy import text

from tests.support import ALICE, BOB


def _auth(tokens, email):
    return {"Authorization": f"Bearer {tokens[email]}"}


def test_chat_confirm_and_threads(client, api_tokens, db) -> None:
    alice = _auth(api_tokens, ALICE)
    asked = client.post("/api/chat", json={"message": "move the Hooli deal to proposal"}, headers=alice)
    assert asked.status_code == 200, asked.text
    body = asked.json()
    assert body["pending_action"]["kind"] == "update_deal"
    thread = body["thread_id"]
    assert client.post(f"/api/chat/{thread}/confirm", headers=_auth(api_tokens, BOB)).status_code == 404
    done = client.post(f"/api/chat/{thread}/confirm", headers=alice)
    again = client.post(f"/api/chat/{thread}/confirm", headers=alice)
    assert done.status_code == 200 and done.json()["answer"] == again.json()["answer"]
    db.expire_all()
    channels = db.execute(
        text("SELECT channel FROM audit_log WHERE entity_type = 'deal' AND entity_id = 11 AND at >= '2026-11-20'")
    )
    assert channels.scalars().all() == ["api"]
    threads = client.get("/api/chat/threads", headers=alice).json()
    assert [t["id"] for t in threads] == [thread]
    messages = client.get(f"/api/chat/threads/{thread}", headers=alice).json()["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant", "assistant", "assistant"]
    assert client.get(f"/api/chat/threads/{thread}", headers=_auth(api_tokens, BOB)).status_code == 404


def test_cancel_and_bad_input(client, api_tokens) -> None:
    alice = _auth(api_tokens, ALICE)
    thread = client.post("/api/chat", json={"message": "set the amount on the Hooli deal to 40k"}, headers=alice).json()
    cancelled = client.post(f"/api/chat/{thread['thread_id']}/cancel", headers=alice)
    assert cancelled.status_code == 200 and "nothing was changed" in cancelled.json()["answer"]
    assert client.post("/api/chat", json={"message": ""}, headers=alice).status_code == 422
    assert client.post("/api/chat", json={"message": "hi"}).status_code == 401
    missing = client.post("/api/chat", json={"message": "show my leads", "thread_id": "nope"}, headers=alice)
    assert missing.status_code == 404 and "thread nope not found" in missing.json()["detail"]
