"""Start and stop the whole product: Rasa server, action server and the front end.

`python -m bot run` (what `make run` calls). The Rasa HTTP API and the action server listen on 127.0.0.1
only; the Rasa API needs a token (RASA_TOKEN, generated per run when empty). Ctrl-C stops everything.
"""
from __future__ import annotations

import logging
import os
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import httpx

from bot.config import ROOT, Settings

logger = logging.getLogger(__name__)


def current_model() -> Path:
    """The model `make train` produced (models/CURRENT names it)."""
    pointer = ROOT / "models" / "CURRENT"
    if not pointer.exists():
        raise FileNotFoundError("no trained model: run `make train`")
    return ROOT / pointer.read_text().strip()


@dataclass
class Stack:
    """The running Rasa + action server processes."""

    settings: Settings
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    log_dir: Path = ROOT / "var" / "log"
    tracker_db: Path = ROOT / "var" / "rasa_tracker.db"
    processes: Dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.action_port}"

    def spawn(self, name: str, args: List[str], env: Dict[str, str]) -> None:
        """Start a child process of the stack: run from the project folder, logged to log_dir/<name>.log, in its own
        process group, and stopped by `stop()` with the others."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_dir / f"{name}.log", "ab") as log:  # the child keeps its own descriptor
            self.processes[name] = subprocess.Popen(
                args, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start_actions(self) -> None:
        self.spawn(
            "actions",
            [str(ROOT / ".venv-app/bin/python"), "-m", "rasa_sdk", "--actions", "actions",
             "-p", str(self.settings.action_port), "--quiet"],
            {"SANIC_HOST": "127.0.0.1", "PYTHONPATH": str(ROOT), "DATABASE_URL": self.settings.database_url},
        )

    def start_admin(self) -> None:
        """The web admin (FastAPI under uvicorn), on 127.0.0.1 only. `--ws none`: websockets 10 (pinned for
        sanic 21) is too old for uvicorn's websocket support, which the admin does not use."""
        self.spawn(
            "admin",
            [str(ROOT / ".venv-app/bin/python"), "-m", "uvicorn", "bot.admin.app:create_app", "--factory", "--ws", "none",
             "--host", "127.0.0.1", "--port", str(self.settings.admin_port), "--no-access-log"],
            {"PYTHONPATH": str(ROOT), "DATABASE_URL": self.settings.database_url, "RASA_TRACKER_DB": str(self.tracker_db),
             "RASA_TRACKER_URL": self.settings.rasa_tracker_url},
        )

    @property
    def admin_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.admin_port}"

    def start_rasa(self) -> None:
        self.tracker_db.parent.mkdir(parents=True, exist_ok=True)
        self.spawn(
            "rasa",
            [str(ROOT / ".venv-rasa/bin/rasa"), "run", "--enable-api", "-i", "127.0.0.1",
             "-p", str(self.settings.rasa_port), f"--auth-token={self.token}",  # "=": tokens may start with "-"
             "--model", str(current_model()), "--endpoints", self.settings.rasa_endpoints,
             "--credentials", "credentials.yml", "--quiet"],
            {
                "PYTHONPATH": str(ROOT),
                "RASA_TELEMETRY_ENABLED": "false",
                "TF_CPP_MIN_LOG_LEVEL": "3",
                "ACTION_ENDPOINT_URL": f"{self.action_url}/webhook",
                "RASA_TRACKER_DB": str(self.tracker_db),
            },
        )

    def wait_ready(self, timeout: float = 240.0) -> None:
        """Block until every server this stack started answers (Rasa loads its model in ~40 s)."""
        deadline = time.monotonic() + timeout
        checks = {"actions": f"{self.action_url}/health", "rasa": f"{self.rasa_url}/status?token={self.token}",
                  "admin": f"{self.admin_url}/login"}
        pending = {name: url for name, url in checks.items() if name in self.processes}  # what this stack started
        while pending:
            for name, url in list(pending.items()):
                proc = self.processes[name]
                if proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}; see {self.log_dir / (name + '.log')}")
                try:
                    if httpx.get(url, timeout=2).status_code == 200:
                        pending.pop(name)
                except httpx.HTTPError:
                    pass
            if pending and time.monotonic() > deadline:
                raise TimeoutError(f"not ready after {timeout:.0f} s: {', '.join(pending)}")
            if pending:
                time.sleep(0.5)

    def start(self, admin: bool = False) -> Stack:
        from common.db import migrate

        migrate(self.settings.database_url)  # actions and admin read the product database
        self.start_actions()
        self.start_rasa()
        if admin:
            self.start_admin()
        self.wait_ready()
        return self

    def stop(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.processes.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.processes.clear()


def run(settings: Settings | None = None) -> int:
    """Run the product until Ctrl-C."""
    settings = settings or Settings.from_env()
    stack = Stack(settings, token=settings.rasa_token or secrets.token_urlsafe(24), tracker_db=settings.rasa_tracker_db)

    def _terminate(signum: int, frame: object) -> None:  # SIGTERM (e.g. from a service manager) stops cleanly like Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    print("Starting the Rasa server and the action server (about a minute)...", flush=True)
    try:
        stack.start(admin=True)
        print(f"Web admin: {stack.admin_url} (first account: .venv-app/bin/python -m bot admin create-user --username NAME)",
              flush=True)
        if settings.telegram_bot_token:
            from bot.telegram.app import run as run_telegram

            print("Telegram bot running (Ctrl-C stops everything).", flush=True)
            run_telegram(settings, stack)
        else:
            from bot.local_chat import chat

            print(
                "\nNo TELEGRAM_BOT_TOKEN set: starting a local chat against the same assistant.\n"
                "To connect Telegram: create a bot with @BotFather, put TELEGRAM_BOT_TOKEN=... in .env, run `make run`.\n",
                flush=True,
            )
            chat(settings, stack)
    except KeyboardInterrupt:
        pass
    finally:
        print("\nStopping...", flush=True)
        stack.stop()
    return 0
