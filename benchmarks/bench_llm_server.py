"""A real llama.cpp server (xllamacpp) on a small local model, as Dealwise's LLM brain would use it.

    .venv/bin/python benchmarks/bench_llm_server.py [--model 1.5b|0.5b] [--tools find_deals,get_deal|all]
                                                    [--threads 2] [--ctx 8192]

Prints the model load time; prompt and generation tokens/s; the time until the first tool call for
Dealwise's real system prompt and tool schemas (a cold request); and how much of the prompt the
server takes from its prefix cache for a second question from the same person, and for the same
question from another person (the shared instructions and tools come first, the person's facts last).
Needs the dev extras' xllamacpp and model packages (see tests/fakes/llama_server.py); nothing is
downloaded. The small demo database is built in a temporary directory.
"""

import argparse
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
from tests.fakes.llama_server import (  # noqa: E402
    QWEN_CODER_05B,
    QWEN_CODER_15B,
    LlamaServer,
    llama_server,
    missing_requirements,
)
from tools.registry import TOOLSET, to_openai_schema  # noqa: E402

MODELS = {"0.5b": QWEN_CODER_05B, "1.5b": QWEN_CODER_15B}
FIRST = "show me my deals in Negotiation"
SECOND = "tell me about deal 11"
FILLER = " ".join(["The renewal moved to legal review after the pricing call with procurement."] * 20)


def dealwise_system_prompts(directory: Path, emails: list[str]) -> list[list[dict[str, str]]]:
    """The LLM brain's system messages for each person, as they would open their first turn."""
    template = support.build_sqlite_template(directory)
    settings = Settings(database_url=f"sqlite:///{template}", data_dir=directory / "data")  # type: ignore[arg-type]
    with session_factory(settings)() as session:
        return [
            [
                {"role": "system", "content": str(message.content)}
                for message in system_messages(
                    Deps(support.principal(session, email), session, support.CLOCK, settings, None)
                )
            ]
            for email in emails
        ]


def chat(server: LlamaServer, body: dict[str, Any]) -> tuple[dict[str, Any], float]:
    started = time.monotonic()
    response = httpx.post(
        f"{server.base_url}/chat/completions",
        json={"model": server.model, "temperature": 0, "max_tokens": 256, **body},
        headers={"Authorization": f"Bearer {server.api_key}"},
        timeout=1800,
    )
    response.raise_for_status()
    return response.json(), time.monotonic() - started


def tool_calls(reply: dict[str, Any]) -> list[str]:
    calls = reply["choices"][0]["message"].get("tool_calls") or []
    return [f"{call['function']['name']}({call['function']['arguments']})" for call in calls]


def report(label: str, reply: dict[str, Any], wall_s: float) -> None:
    timings = reply.get("timings", {})
    cached = timings.get("cache_n", 0)
    prompt_tokens = cached + timings.get("prompt_n", 0)
    print(f"{label}: {wall_s:.1f} s")
    print(
        f"  prompt: {prompt_tokens} tokens, {cached} from the prefix cache ({cached / max(prompt_tokens, 1):.0%}),"
        f" {timings.get('prompt_n', 0)} evaluated at {timings.get('prompt_per_second', 0):.1f} tokens/s"
    )
    print(
        f"  generation: {timings.get('predicted_n', 0)} tokens at {timings.get('predicted_per_second', 0):.1f} tokens/s"
    )
    calls = tool_calls(reply)
    content = (reply["choices"][0]["message"].get("content") or "").strip()
    print(f"  tool calls: {', '.join(calls) if calls else 'none'}" + ("" if calls else f"; content: {content[:160]!r}"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=sorted(MODELS), default="1.5b")
    parser.add_argument("--tools", default="find_deals,get_deal", help="comma-separated tool names, or 'all'")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--ctx", type=int, default=8192)
    args = parser.parse_args()
    model = MODELS[args.model]
    reason = missing_requirements(model)
    if reason is not None:
        sys.exit(reason)
    names = [spec.name for spec in TOOLSET.all()] if args.tools == "all" else args.tools.split(",")
    tools = [to_openai_schema(TOOLSET.get(name)) for name in names]
    with tempfile.TemporaryDirectory() as tmp:
        system, other_person = dealwise_system_prompts(Path(tmp), [support.ALICE, support.BOB])
    with llama_server(model, ctx_size=args.ctx, threads=args.threads) as server:
        print(f"model: {model.name}; tools: {', '.join(names)}")
        print(f"load: {server.load_s:.1f} s (process start to a healthy server)")
        speed, wall = chat(
            server, {"messages": [{"role": "user", "content": FILLER + "\nSummarise."}], "max_tokens": 64}
        )
        report("plain request (no tools)", speed, wall)
        first, wall = chat(
            server,
            {"messages": [*system, {"role": "user", "content": FIRST}], "tools": tools},
        )
        report(f"first tool call, cold ({FIRST!r})", first, wall)
        second, wall = chat(
            server,
            {"messages": [*system, {"role": "user", "content": SECOND}], "tools": tools},
        )
        report(f"same system prompt and tools, another question ({SECOND!r})", second, wall)
        third, wall = chat(
            server,
            {
                "messages": [*other_person, {"role": "user", "content": FIRST}],
                "tools": tools,
            },
        )
        report("same tools and question, another person (their facts come last)", third, wall)


if __name__ == "__main__":
    main()
