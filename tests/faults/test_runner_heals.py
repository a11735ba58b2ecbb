"""`make run` heals: the whole product started as `make run` starts it (`python -m bot run`, against a fake Bot API
server); Rasa is killed; the runner starts it again by itself and the message kept meanwhile is answered."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

from common.i18n import translate
from common.strings import person as ui
from tests.auxil.answers import expected_answer
from tests.auxil.fake_bot_api import FakeBotApi
from tests.conftest import _free_port
from tests.telegram.test_bot_e2e import onboard, visible

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
HEAL_WITHIN = 120.0  # seconds from the kill to the kept message's answer (issue #13: "within 2 minutes")


def children(pid: int) -> Dict[int, List[str]]:
    """The live child processes of `pid` (Linux /proc): pid -> command line."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parent = int(stat.rsplit(")", 1)[1].split()[1])  # the command name in (...) may hold spaces
            if parent == pid and stat.rsplit(")", 1)[1].split()[0] != "Z":
                found[int(entry.name)] = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except (OSError, IndexError, ValueError):  # ended while we looked
            continue
    return found


def rasa_pid(runner: int) -> int | None:
    pids = [pid for pid, args in children(runner).items() if any(a.endswith("/rasa") for a in args) and "run" in args]
    return pids[0] if len(pids) == 1 else None


@contextlib.contextmanager
def product(env: Dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    """`python -m bot run` as a child in a session of its own. Always cleaned up: Ctrl-C (SIGINT) as a person would,
    then SIGKILL for the runner's group and for each server it started (every server has a process group of its
    own, so killing the runner's group alone would leave them running)."""
    with open(log, "wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        servers = children(process.pid)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for pid in servers:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)  # only what the runner did not stop itself


def test_rasa_killed_under_the_runner_is_restarted_and_the_kept_message_answered(tmp_path) -> None:
    api = FakeBotApi().start()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": "999:RUNNER-HEALS-TEST",
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_CHAT_INTERVAL": "0.05",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'product.db'}",
        "RASA_PORT": str(_free_port()),
        "ACTION_PORT": str(_free_port()),
        "ADMIN_PORT": str(_free_port()),
        "RASA_TRACKER_DB": str(tmp_path / "tracker.db"),
        "LOG_DIR": str(tmp_path / "log"),
        "RETRY_INTERVAL": "1",
        "RESTART_DELAY": "1",
    }
    env.pop("RASA_TOKEN", None)
    env.pop("TELEGRAM_WEBHOOK_URL", None)
    log = tmp_path / "run.log"
    try:
        with product(env, log) as runner:
            deadline = time.monotonic() + 300
            while not any(c.params.get("language_code") == "ti" for c in api.calls("setMyCommands")):  # bot is up
                assert runner.poll() is None, log.read_text(errors="replace")[-3000:]
                assert time.monotonic() < deadline, "the product did not start"
                time.sleep(0.5)
            user = 6_200_001
            sent = onboard(api, user, "da", "DK")
            killed = rasa_pid(runner.pid)
            assert killed is not None, children(runner.pid)

            os.killpg(killed, signal.SIGKILL)  # Rasa leads a process group of its own
            started = time.monotonic()
            api.send_text(user, "jeg har ondt i en tand, hvor finder jeg en tandlæge")
            assert api.wait_for(user, 1, after=sent, timeout=30)[0].text == translate("da", ui.RASA_DOWN)  # kept
            answer = api.wait_for(user, 2, after=sent, timeout=max(1.0, HEAL_WITHIN - (time.monotonic() - started)))[1]
            healed = time.monotonic() - started

            dental = expected_answer("da", "DK", "jeg har ondt i en tand, hvor finder jeg en tandlæge", "dental_care")
            assert visible(answer.text).startswith(dental[:40])
            assert healed < HEAL_WITHIN
            restarted = rasa_pid(runner.pid)
            assert restarted is not None and restarted != killed  # a new Rasa, started by the runner
            output = log.read_text(errors="replace")
            assert "rasa exited with code -9; restart attempt 1 in 1 s" in output
            assert f"rasa restarted (pid {restarted}, attempt 1)" in output
            print(f"kept message answered {healed:.0f} s after Rasa was killed")
        assert runner.returncode == 0, log.read_text(errors="replace")[-3000:]  # Ctrl-C still stops it cleanly
        assert "exited with code" not in log.read_text(errors="replace").split("Stopping...")[-1]  # not taken for crashes
    finally:
        api.stop()
