"""Benchmark of the PDF report over 90 days of diary: seconds and peak memory.

Run with `make bench` (or `.venv/bin/python bench/bench_report.py [--quick] [--json]`).
Target (issue #12): the report for 90 days in at most 2 s.

The diary (SQLite, a fresh data folder) has 90 days: a check-in every day, three meals a day
(written as people write them, parsed like any meal), a supplement most days, three changes
(so three before/after analyses) and a warning-sign check. Two cases:

- in-process, warm: the view (`diary.reports.report`) and its PDF, `--repeats` times after one
  unmeasured report, as the API serves it from a running app; judged on p99;
- a fresh process: `rugwijzer report --from … --to … --out …` itself (interpreter start, imports
  of SciPy and WeasyPrint, the report, the PDF written), timed from outside; judged on the
  slowest of `--cold-runs`. Its peak resident memory (`ru_maxrss` of the child, the
  high-water mark of the whole process) is reported beside it as information, as is the PDF's
  size.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

# Run as a plain file: the repository root holds the shared helpers.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import Measure, latency_record, report, value_record

TARGET_SECONDS = 2.0
DAYS = 90
MEALS = (
    ("2 sneetjes volkorenbrood met pindakaas", "nl"),
    ("een banaan en 30 g amandelen", "nl"),
    ("200 g spinazie met 150 g aardappelen", "nl"),
)
CHANGES = (
    (20, "magnesiumcitraat 's avonds"),
    (45, "nieuwe bureaustoel"),
    (70, "elke dag wandelen"),
)


def build_diary(data_dir: Path, today: date) -> None:
    """90 days up to `today` in the local diary of `data_dir` (the app's own services)."""
    os.environ["RUGWIJZER_DATA_DIR"] = str(data_dir)
    from rugwijzer.domain.diary import ChangeInput, CheckInInput
    from rugwijzer.services.app import diary_service, engine
    from rugwijzer.store.migrate import upgrade

    upgrade(engine())
    diary = diary_service()
    user = diary.profiles.ensure_local_user()
    diary.profiles.set_profile(user, {"birth_year": 1972, "sex": "female", "language": "nl"})
    first = today - timedelta(days=DAYS - 1)
    for offset in range(DAYS):
        day = first + timedelta(days=offset)
        pain = 6 - 2 * (offset >= CHANGES[0][0]) + offset % 3 - 1
        diary.entries.check_in(user, CheckInInput(day=day, pain=pain, stress=3 + offset % 4))
        for text, lang in MEALS:
            diary.entries.log_meal(user, text, day=day, lang=lang)
        if offset % 7:
            diary.entries.log_supplement(
                user, {"label": "magnesium (als citraat) 150 mg", "name": "citraat"}, day=day
            )
    for offset, description in CHANGES:
        diary.entries.record_change(user, ChangeInput(description, first + timedelta(days=offset)))
    answers = {"age": 54, "pain_weeks": 10}
    result = {"urgency": "none", "advice": {"key": "triage.none"}, "reasons": [], "unknown": []}
    diary.entries.record_assessment(user, "triage", answers, result)


def in_process(start: date, end: date, repeats: int) -> tuple[Measure, float, int]:
    """The report `repeats` times in this process after a warm-up: its timings, the slowest
    share spent on the PDF, and the PDF's size."""
    from rugwijzer.services.app import diary_service
    from rugwijzer.web.report import report_pdf

    diary = diary_service()
    user = diary.profiles.ensure_local_user()
    pdf = report_pdf(diary.reports.report(user, start, end, lang="nl"))  # warm-up
    measure = Measure("report")
    started = time.perf_counter()
    for _ in range(repeats):
        before = time.perf_counter()
        pdf = report_pdf(diary.reports.report(user, start, end, lang="nl"))
        measure.ok((time.perf_counter() - before) * 1000)
    return measure, time.perf_counter() - started, len(pdf)


def fresh_process(data_dir: Path, start: date, end: date) -> tuple[float, float]:
    """`rugwijzer report` as a user runs it: seconds from outside, and the peak resident memory
    of the command (MB; the largest of this script's children so far, all of them reports)."""
    out = data_dir / "report.pdf"
    out.unlink(missing_ok=True)
    period = ["--from", start.isoformat(), "--to", end.isoformat()]
    before = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-m", "rugwijzer", "report", *period, "--out", str(out), "--lang", "nl"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "RUGWIJZER_DATA_DIR": str(data_dir)},
    )
    seconds = time.perf_counter() - before
    if finished.returncode != 0 or not out.is_file() or not out.read_bytes().startswith(b"%PDF"):
        print(f"BENCHMARK FAILED: rugwijzer report failed\n{finished.stderr}", file=sys.stderr)
        sys.exit(1)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    return seconds, peak_kib / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=20, help="warm reports in-process")
    parser.add_argument("--cold-runs", type=int, default=3, help="reports in fresh processes")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 2 warm, 1 cold")
    parser.add_argument("--json", action="store_true", help="print only the JSON lines")
    args = parser.parse_args()
    if args.quick:
        args.repeats, args.cold_runs = 2, 1
    today = date.today()
    start = today - timedelta(days=DAYS - 1)
    with tempfile.TemporaryDirectory(prefix="bench-report-") as folder:
        data_dir = Path(folder)
        began = time.perf_counter()
        build_diary(data_dir, today)
        if not args.json:
            print(f"Built {DAYS} days of diary in {time.perf_counter() - began:.1f} s")
        measure, elapsed, size = in_process(start, today, args.repeats)
        cold = [fresh_process(data_dir, start, today) for _ in range(args.cold_runs)]
    case = f"{DAYS} days"
    records = [
        latency_record(
            "report",
            f"{case}, in-process, warm",
            measure,
            elapsed_s=elapsed,
            target_p99_ms=TARGET_SECONDS * 1000,
            samples_asked=args.repeats,
        ),
        value_record(
            "report",
            f"{case}, fresh process",
            "seconds",
            max(seconds for seconds, _rss in cold),
            "s",
            target_max=TARGET_SECONDS,
            runs=len(cold),
        ),
        value_record(
            "report", f"{case}, fresh process", "peak_rss_mb", max(rss for _s, rss in cold), "MB"
        ),
        value_record("report", case, "pdf_size_kb", size / 1024, "kB"),
    ]
    if not args.json:
        print("The PDF report in-process (as the API serves it) and in a fresh process (the CLI)")
    return report(records, json_only=args.json, quick=args.quick)


if __name__ == "__main__":
    sys.exit(main())
