"""dealwise worker: the background-job consumer in the foreground, until Ctrl-C or SIGTERM.

For deployments with ``DEALWISE_REDIS_URL`` (run as many as you like, on any machine), or to take the
jobs off a web app started with ``DEALWISE_RUN_WORKER=false``.
"""

import signal
import threading
from types import FrameType
from typing import Annotated

import typer

from adapters.cli.runtime import settings, upgrade_database


def worker(
    threads: Annotated[int, typer.Option(min=1, help="jobs run at the same time")] = 1,
) -> None:
    """Run background jobs (transcription, indexing, imports) in the foreground until interrupted."""
    from ingest.indexing import install_index_hooks  # heavy: huey, Redis, every tool and the models, for `worker`
    from ingest.jobs import queue_for
    from tools.registry import JOB_HANDLERS

    config = settings()
    upgrade_database(config)
    queue = queue_for(config)
    install_index_hooks(queue.context.sessions, config)
    stop = threading.Event()

    def request_stop(_signal: int, _frame: FrameType | None) -> None:
        stop.set()

    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, request_stop)
    store = "Redis" if config.redis_url else f"the SQLite queue in {config.data_dir}"
    requeued = queue.requeue_orphans()  # the SQLite queue only: jobs a stopped worker or server left running
    if requeued:
        typer.echo(f"queued again {len(requeued)} job(s) left running when the last worker stopped")
    queue.start_worker(JOB_HANDLERS, workers=threads)
    typer.echo(f"worker running jobs from {store} with {threads} thread(s); Ctrl-C stops it")
    try:
        while not stop.wait(0.5):
            pass
    finally:
        typer.echo("worker stopping after the jobs in progress")
        queue.stop_worker(graceful=True)
    typer.echo("worker stopped")
