"""The folder in which worker processes keep their metrics (prometheus-client's multiprocess
mode).

prometheus-client decides once, when it is first imported, whether a process writes its metrics
to memory or to files in `PROMETHEUS_MULTIPROC_DIR`. So the folder has to be chosen by the process
that starts the workers, before they start, and emptied then: files from an earlier run would be
counted again. This module does not import prometheus-client, so that choosing the folder cannot
itself fix the mode of the starting process too early.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from collections.abc import MutableMapping
from pathlib import Path

__all__ = ["METRICS_DIR_VARIABLE", "clear_metrics_files", "prepare_metrics_directory"]

#: The environment variable prometheus-client reads.
METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"

#: The files prometheus-client writes there: `counter_1234.db`, `gauge_livesum_1234.db`, …
_METRICS_FILE = re.compile(r"^(counter|histogram|summary|gauge_[a-z]+)_\d+\.db$")


def clear_metrics_files(folder: Path) -> int:
    """Delete the metrics files of an earlier run from `folder` (nothing else in it); the
    number deleted."""
    deleted = 0
    for path in folder.iterdir():
        if _METRICS_FILE.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            deleted += 1
    return deleted


def prepare_metrics_directory(environ: MutableMapping[str, str] | None = None) -> Path:
    """Make the metrics folder ready for a run of worker processes, in the process that starts
    them: the operator's `PROMETHEUS_MULTIPROC_DIR` emptied of earlier metrics files, or, when it
    is not set, a new private temporary folder (removed again when this process exits) set in
    the environment that the workers inherit."""
    env = os.environ if environ is None else environ
    configured = env.get(METRICS_DIR_VARIABLE)
    if configured:
        folder = Path(configured)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        clear_metrics_files(folder)
        return folder
    folder = Path(tempfile.mkdtemp(prefix="rugwijzer-metrics-"))  # mode 0700
    env[METRICS_DIR_VARIABLE] = str(folder)
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder
