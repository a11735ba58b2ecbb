"""Benchmark (not a test): full training time, /model/parse latency, memory of the Rasa server.

    .venv-app/bin/python scripts/benchmark.py --out docs/benchmark.md      (make benchmark)

Targets from the issue: training <= 5 min for all languages on this 2-core machine; /model/parse p95 <= 20 ms.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evaluate_nlu import load_test_set  # noqa: E402  (scripts/ is on sys.path when a script runs)

from bot.config import Settings  # noqa: E402
from bot.runner import Stack  # noqa: E402


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    total = 0
    pids = [pid]
    try:
        pids += [int(p) for p in subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()]
    except FileNotFoundError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total / 1024


def train_time() -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.monotonic()
        subprocess.run(
            [str(ROOT / ".venv-rasa/bin/rasa"), "train", "--force", "--out", out, "--quiet",
             "--data", "data/nlu", "data/rules", "data/stories"],
            cwd=ROOT, check=True, capture_output=True,
            env={**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"},
        )
        return time.monotonic() - start


def messages(limit: int) -> list[str]:
    """An even sample of the held-out messages (all languages)."""
    texts = [text for _, _, text in load_test_set(ROOT / "tests" / "nlu_heldout")]
    return texts[:: max(1, len(texts) // limit)][:limit]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args()

    training = None if args.skip_training else train_time()
    stack = Stack(Settings(rasa_port=5905, action_port=5955))
    started = time.monotonic()
    stack.start()
    startup = time.monotonic() - started
    try:
        texts = messages(args.requests)
        url = f"{stack.rasa_url}/model/parse"
        latencies = []
        with httpx.Client(timeout=30) as client:
            for text in texts[:20]:  # warm-up
                client.post(url, params={"token": stack.token}, json={"text": text})
            for text in texts:
                t0 = time.perf_counter()
                client.post(url, params={"token": stack.token}, json={"text": text}).raise_for_status()
                latencies.append((time.perf_counter() - t0) * 1000)
        rasa_rss = rss_mb(stack.processes["rasa"].pid)
        actions_rss = rss_mb(stack.processes["actions"].pid)
    finally:
        stack.stop()

    lines = [
        "# Benchmarks",
        "",
        f"Generated {datetime.date.today().isoformat()} by `make benchmark` (`scripts/benchmark.py`) on "
        f"{os.cpu_count()} cores, {platform.python_implementation()} / Linux. Not a test: figures for the docs.",
        "",
        "| measure | value | target |",
        "|---|---|---|",
    ]
    if training is not None:
        lines.append(f"| full `rasa train --force` (NLU + dialogue, 10 languages) | {training:.0f} s | ≤ 300 s |")
    lines += [
        f"| Rasa server + action server ready after start | {startup:.0f} s | |",
        f"| `/model/parse` p50 ({len(latencies)} sequential requests, held-out messages) | {statistics.median(latencies):.1f} ms | |",
        f"| `/model/parse` p95 | {percentile(latencies, 95):.1f} ms | ≤ 20 ms |",
        f"| `/model/parse` p99 | {percentile(latencies, 99):.1f} ms | |",
        f"| Rasa server RSS after the run | {rasa_rss:.0f} MB | |",
        f"| action server RSS after the run | {actions_rss:.0f} MB | |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
