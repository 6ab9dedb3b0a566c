"""The LLM brain's prompt, before and after the compact tool surface, and how much of it a real server caches.

    .venv/bin/python benchmarks/bench_llm_prompt.py [--no-server] [--cache] [--threads 2]

Prints the prompt tokens of the system prompt plus tool schemas for the full toolset (every tool,
pydantic's schemas as they were bound before) and for the compact model surface (tools/surface.py).
Tokens are counted by the real llama.cpp server's tokenizer (its /apply-template and /tokenize
endpoints, Qwen2.5-Coder-1.5B's chat template and vocabulary) when xllamacpp and the model packages
are installed, else estimated as characters / 4; the output says which.

With --cache it also sends the same question for two different people and prints the share of the
second prompt the server took from its prefix cache (timings.cache_n / (cache_n + prompt_n)): the
shared instructions and tools come first, the person's facts last. That request runs the model on
the CPU (minutes on 2 cores). The demo database is built in a temporary directory; nothing is
downloaded.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from assistant.agent.brains.llm import system_messages  # noqa: E402
from assistant.crm.db import session_factory  # noqa: E402
from assistant.crm.deps import Deps  # noqa: E402
from assistant.crm.settings import Settings  # noqa: E402
from tests import support  # noqa: E402
from tests.fakes.llama_server import LlamaServer, llama_server, missing_requirements  # noqa: E402
from tools.registry import TOOLSET, to_openai_schema  # noqa: E402
from tools.surface import MODEL_TOOLSET, compact_schema  # noqa: E402

QUESTION = "show me my deals in Negotiation"


def people_messages(directory: Path, emails: list[str]) -> list[list[dict[str, str]]]:
    """The LLM brain's opening messages for each person, as chat-completions dicts."""
    template = support.build_sqlite_template(directory)
    settings = Settings(database_url=f"sqlite:///{template}", data_dir=directory / "data")  # type: ignore[arg-type]
    with session_factory(settings)() as session:
        out = []
        for email in emails:
            deps = Deps(support.principal(session, email), session, support.CLOCK, settings, None)
            system = [{"role": "system", "content": str(m.content)} for m in system_messages(deps)]
            out.append([*system, {"role": "user", "content": QUESTION}])
        return out


def surfaces() -> dict[str, list[dict[str, Any]]]:
    return {
        f"full toolset ({len(TOOLSET.tools)} tools, pydantic schemas)": [
            to_openai_schema(spec) for spec in TOOLSET.tools.values()
        ],
        f"compact model surface ({len(MODEL_TOOLSET.tools)} tools)": [
            compact_schema(spec) for spec in MODEL_TOOLSET.tools.values()
        ],
    }


def _post(server: LlamaServer, path: str, body: dict[str, Any], timeout: float = 1800) -> dict[str, Any]:
    response = httpx.post(
        f"{server.root_url}{path}",
        json=body,
        headers={"Authorization": f"Bearer {server.api_key}"},
        timeout=timeout,
    )
    response.raise_for_status()
    return response.json()


def server_tokens(server: LlamaServer, messages: list[dict[str, str]], tools: list[dict[str, Any]]) -> int:
    prompt = _post(server, "/apply-template", {"messages": messages, "tools": tools})["prompt"]
    return len(_post(server, "/tokenize", {"content": prompt})["tokens"])


def estimated_tokens(messages: list[dict[str, str]], tools: list[dict[str, Any]]) -> int:
    return (len(json.dumps(tools)) + sum(len(m["content"]) for m in messages)) // 4


def cache_share(server: LlamaServer, people: list[list[dict[str, str]]], tools: list[dict[str, Any]]) -> None:
    for index, messages in enumerate(people):
        started = time.monotonic()
        reply = _post(
            server,
            "/v1/chat/completions",
            {"model": server.model, "messages": messages, "tools": tools, "temperature": 0, "max_tokens": 48},
        )
        timings = reply.get("timings", {})
        cached, evaluated = timings.get("cache_n", 0), timings.get("prompt_n", 0)
        share = cached / max(cached + evaluated, 1)
        print(
            f"person {index + 1}: {cached + evaluated} prompt tokens, {cached} from the prefix cache ({share:.0%}),"
            f" {evaluated} evaluated, {time.monotonic() - started:.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-server", action="store_true", help="estimate (chars / 4) instead of tokenizing")
    parser.add_argument("--cache", action="store_true", help="also measure the prefix-cache share (runs the model)")
    parser.add_argument("--threads", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        people = people_messages(Path(tmp), [support.ALICE, support.BOB])
    reason = None if not args.no_server else "--no-server"
    reason = reason or missing_requirements()
    if reason is not None:
        print(f"counting: characters / 4 (no real tokenizer: {reason})")
        for label, tools in surfaces().items():
            print(f"{label}: ~{estimated_tokens(people[0], tools)} prompt tokens (system prompt + tools + question)")
        return
    with llama_server(threads=args.threads, ctx_size=8192 if not args.cache else 8192) as server:
        print(f"counting: the llama.cpp server's tokenizer ({server.model}, its chat template with tools)")
        for label, tools in surfaces().items():
            print(
                f"{label}: {server_tokens(server, people[0], tools)} prompt tokens (system prompt + tools + question)"
            )
        print(f"without tools: {server_tokens(server, people[0], [])} prompt tokens")
        if args.cache:
            cache_share(server, people, [compact_schema(spec) for spec in MODEL_TOOLSET.tools.values()])


if __name__ == "__main__":
    main()
