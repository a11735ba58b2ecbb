"""Benchmark (not a test): full training time, /model/parse latency, memory of the Rasa server.

    .venv-app/bin/python scripts/benchmark.py --out docs/benchmark.md      (make benchmark)

Targets from the issue: training <= 5 min for all languages on this 2-core machine; /model/parse p95 <= 20 ms.

Side by side (issue #15: "p95 of /model/parse within 1.3x of today's, measured in one run"): with
`--baseline-root DIR --baseline-model MODEL` a second Rasa server serves an earlier model with that checkout's own
custom components, and every message goes to both servers in turn (alternating which goes first), so both see the
same machine load:

    git worktree add /tmp/base <commit> && (cd /tmp/base && make train)
    .venv-app/bin/python scripts/benchmark.py --baseline-root /tmp/base --baseline-model /tmp/base/models/X.tar.gz
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


class BaselineRasa:
    """A Rasa server for an earlier checkout's model (its own PYTHONPATH, so its own custom components)."""

    def __init__(self, root: Path, model: Path, port: int = 5906) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [str(ROOT / ".venv-rasa/bin/rasa"), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port),
             "--model", str(model), "--quiet"],
            cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(root), "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3",
                 # its endpoints.yml names these; /model/parse needs neither
                 "ACTION_ENDPOINT_URL": "http://127.0.0.1:9/webhook",
                 "RASA_TRACKER_DB": str(Path(tempfile.gettempdir()) / f"baseline-tracker-{port}.db")},
        )

    def wait_ready(self, timeout: float = 300.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the baseline Rasa server exited")
            try:
                if httpx.get(f"{self.url}/status", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(1)  # polling a starting server's port: there is no signal to wait on
        raise TimeoutError("the baseline Rasa server did not start")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def timed_post(client: httpx.Client, url: str, params: dict, text: str) -> float:
    t0 = time.perf_counter()
    client.post(url, params=params, json={"text": text}).raise_for_status()
    return (time.perf_counter() - t0) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument("--baseline-root", type=Path, help="checkout of the earlier commit (its components)")
    parser.add_argument("--baseline-model", type=Path, help="that checkout's trained model")
    parser.add_argument("--baseline-label", default="the baseline model")
    args = parser.parse_args()

    training = None if args.skip_training else train_time()
    stack = Stack(Settings(rasa_port=5905, action_port=5955))
    started = time.monotonic()
    stack.start()
    startup = time.monotonic() - started
    baseline = BaselineRasa(args.baseline_root, args.baseline_model) if args.baseline_root else None
    base_latencies: list[float] = []
    try:
        if baseline:
            baseline.wait_ready()
        texts = messages(args.requests)
        url = f"{stack.rasa_url}/model/parse"
        params = {"token": stack.token}
        latencies = []
        with httpx.Client(timeout=30) as client:
            for text in texts[:20]:  # warm-up
                client.post(url, params=params, json={"text": text})
                if baseline:
                    client.post(f"{baseline.url}/model/parse", json={"text": text})
            for i, text in enumerate(texts):
                if baseline and i % 2:
                    base_latencies.append(timed_post(client, f"{baseline.url}/model/parse", {}, text))
                latencies.append(timed_post(client, url, params, text))
                if baseline and not i % 2:
                    base_latencies.append(timed_post(client, f"{baseline.url}/model/parse", {}, text))
        rasa_rss = rss_mb(stack.processes["rasa"].pid)
        actions_rss = rss_mb(stack.processes["actions"].pid)
        base_rss = rss_mb(baseline.process.pid) if baseline else 0.0
    finally:
        stack.stop()
        if baseline:
            baseline.stop()

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
    if baseline:
        ratio = percentile(latencies, 95) / percentile(base_latencies, 95)
        lines += [
            "",
            f"Side by side in the same run: every message went to this model and to {args.baseline_label} in turn "
            "(alternating which went first), so both saw the same machine load.",
            "",
            "| `/model/parse` | this model | " + args.baseline_label + " | ratio |",
            "|---|---|---|---|",
            f"| p50 | {statistics.median(latencies):.1f} ms | {statistics.median(base_latencies):.1f} ms | "
            f"{statistics.median(latencies) / statistics.median(base_latencies):.2f} |",
            f"| p95 | {percentile(latencies, 95):.1f} ms | {percentile(base_latencies, 95):.1f} ms | {ratio:.2f} "
            f"(target ≤ 1.3) |",
            f"| p99 | {percentile(latencies, 99):.1f} ms | {percentile(base_latencies, 99):.1f} ms | "
            f"{percentile(latencies, 99) / percentile(base_latencies, 99):.2f} |",
            f"| Rasa server RSS | {rasa_rss:.0f} MB | {base_rss:.0f} MB | |",
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
