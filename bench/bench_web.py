"""Benchmark of the Today page: first-load transfer size and server latency at 10 concurrent
users (local mode, SQLite, one process, loopback). Targets (web issue): transfer <= 200 kB,
p99 <= 50 ms.

Run with `.venv/bin/python bench/bench_web.py [--seconds 15] [--users 10]`.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

# Run as a plain file: the repository root holds the shared server helper.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from scripts.local_server import local_server


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument(
        "--think", type=float, default=1.0, help="seconds between page views (0: flood)"
    )
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="rugwijzer-web-bench-"))
    with local_server(data / "data") as base:
        api = httpx.Client(base_url=f"{base}/api/v1", timeout=30)
        api.put("/me/profile", json={"birth_year": 1975, "sex": "female"})
        for meal in (
            "havermout 40 g met 200 ml halfvolle melk",
            "2 sneetjes volkorenbrood met pindakaas",
            "een handje amandelen",
            "150 g zalm met 200 g aardappelen en broccoli",
            "30 g chocolade",  # an item with alternatives to choose from
        ):
            api.post("/me/meals", json={"text": meal, "lang": "nl"})
        api.post("/me/supplements", json={"label": "magnesium (als citraat) 150 mg"})
        api.put(f"/me/checkins/{time.strftime('%Y-%m-%d')}", json={"pain": 5, "stress": 4})
        html = httpx.get(f"{base}/today").content
        assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
        transfer = len(html) + sum(len(httpx.get(base + a.decode()).content) for a in assets)

        timings: list[float] = []
        deadline = time.monotonic() + args.seconds

        def user(number: int) -> None:
            # spread the first views; then a person looks at the page before reloading it
            time.sleep(args.think * number / max(args.users, 1))
            with httpx.Client(base_url=base, timeout=30) as client:
                while time.monotonic() < deadline:
                    started = time.perf_counter()
                    client.get("/today")
                    timings.append((time.perf_counter() - started) * 1000)
                    time.sleep(args.think)

        threads = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    print(f"first-load transfer of Today: {transfer / 1024:.1f} kB ({len(assets)} assets)")
    print(
        f"Today at {args.users} users (think {args.think:g} s): "
        f"{len(timings) / args.seconds:.0f} pages/s, "
        f"p50 {statistics.median(timings):.1f} ms, p99 {percentile(timings, 0.99):.1f} ms"
    )


if __name__ == "__main__":
    main()
