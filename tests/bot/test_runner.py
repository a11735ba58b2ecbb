"""The runner's supervisor (bot.runner.Supervisor): a server that exits without being stopped is started again with
exponential backoff, every crash and restart is logged, and an intentional `Stack.stop()` is never undone. Tiny
stand-in processes, no Rasa: the backoff arithmetic runs on a fake clock, the thread on the real one."""
from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from bot import local_chat, runner
from bot.config import Settings
from bot.runner import RestartPolicy, Stack, Supervisor

CRASH = [sys.executable, "-c", "import sys; sys.exit(3)"]
STAY_UP = ["sleep", "300"]


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def stack(tmp_path: Path):
    running = Stack(Settings(), log_dir=tmp_path / "log")
    yield running
    running.stop()


def exited(stack: Stack, name: str) -> int:
    """Wait for the stand-in to end by itself (it exits at once)."""
    return stack.processes[name].wait(timeout=30)


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.runner" and r.levelno == logging.WARNING]


def test_restart_policy_doubles_to_the_cap() -> None:
    policy = RestartPolicy(first_delay=1.0, max_delay=60.0)
    assert [policy.delay(n) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert RestartPolicy.from_settings(Settings(restart_delay=0.5, restart_delay_max=3, restart_reset_after=9)) == \
        RestartPolicy(first_delay=0.5, max_delay=3, reset_after=9)


def test_a_crashing_server_is_restarted_with_doubling_delays_up_to_the_cap(stack, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.runner")
    clock = Clock()
    starts = []

    def start_crasher() -> None:
        starts.append(clock.now)
        stack.spawn("crasher", CRASH, {})

    start_crasher()
    supervisor = Supervisor(stack.processes, {"crasher": start_crasher}, RestartPolicy(1.0, 4.0, 60.0), clock=clock)
    for _ in range(5):  # five crashes in a row
        exited(stack, "crasher")
        supervisor.check()  # notices the exit
        before = len(starts)
        while len(starts) == before:
            clock.now += 0.25
            supervisor.check()
    gaps = [later - earlier for earlier, later in zip(starts, starts[1:])]
    assert gaps == [1.0, 2.0, 4.0, 4.0, 4.0]  # 1 s doubling to the cap (the stand-in dies at once)
    assert supervisor.restarts == 5
    assert warnings_of(caplog) == [
        "crasher exited with code 3; restart attempt 1 in 1 s",
        "crasher exited with code 3; restart attempt 2 in 2 s",
        "crasher exited with code 3; restart attempt 3 in 4 s",
        "crasher exited with code 3; restart attempt 4 in 4 s",
        "crasher exited with code 3; restart attempt 5 in 4 s",
    ]
    restarted = [r.getMessage() for r in caplog.records if r.getMessage().startswith("crasher restarted")]
    assert len(restarted) == 5 and restarted[-1].startswith(f"crasher restarted (pid {stack.processes['crasher'].pid}")


def test_the_backoff_starts_over_once_the_server_has_stayed_up(stack, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.runner")
    clock = Clock()
    command = [CRASH]  # what the next start runs

    def start() -> None:
        stack.spawn("server", command[0], {})

    start()
    supervisor = Supervisor(stack.processes, {"server": start}, RestartPolicy(1.0, 60.0, reset_after=30.0), clock=clock)
    exited(stack, "server")
    supervisor.check()
    clock.now = 1.0
    supervisor.check()  # restart 1 (after 1 s), crashes again
    exited(stack, "server")
    supervisor.check()
    command[0] = STAY_UP  # the second restart comes up for good
    clock.now = 3.0
    supervisor.check()
    assert stack.processes["server"].poll() is None
    clock.now = 3.0 + 29.0
    supervisor.check()  # up 29 s: still counting
    stack.processes["server"].kill()
    stack.processes["server"].wait()
    supervisor.check()
    assert warnings_of(caplog)[-1] == "server exited with code -9; restart attempt 3 in 4 s"
    clock.now = 36.0
    supervisor.check()  # restart 3, stays up
    clock.now = 36.0 + 30.0
    supervisor.check()  # up 30 s: the next crash counts from 1 again
    assert "server has stayed up 30 s: restart backoff reset" in caplog.messages
    stack.processes["server"].kill()
    stack.processes["server"].wait()
    supervisor.check()
    assert warnings_of(caplog)[-1] == "server exited with code -9; restart attempt 1 in 1 s"


def test_a_failed_restart_is_logged_and_tried_again_later(stack, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.runner")
    clock = Clock()
    fail = [True]

    def start() -> None:
        if fail[0]:
            raise FileNotFoundError("no trained model: run `make train`")
        stack.spawn("server", STAY_UP, {})

    stack.spawn("server", CRASH, {})
    supervisor = Supervisor(stack.processes, {"server": start}, RestartPolicy(1.0, 60.0), clock=clock)
    exited(stack, "server")
    supervisor.check()
    clock.now = 1.0
    supervisor.check()  # the restart raises
    failure = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in failure] == ["could not restart server; restart attempt 2 in 2 s"]
    assert failure[0].exc_info[0] is FileNotFoundError
    fail[0] = False
    clock.now = 2.5
    supervisor.check()
    assert stack.processes["server"].returncode == 3  # not yet: the delay is 2 s
    clock.now = 3.0
    supervisor.check()
    assert stack.processes["server"].poll() is None and supervisor.restarts == 1


def test_a_server_restarted_by_someone_else_is_not_started_twice(stack) -> None:
    clock = Clock()
    starts = []

    def start() -> None:
        starts.append(clock.now)
        stack.spawn("server", STAY_UP, {})

    stack.spawn("server", CRASH, {})
    supervisor = Supervisor(stack.processes, {"server": start}, RestartPolicy(1.0, 60.0), clock=clock)
    exited(stack, "server")
    supervisor.check()  # restart due in 1 s
    stack.spawn("server", STAY_UP, {})  # e.g. a fault test starting Rasa again itself
    clock.now = 5.0
    supervisor.check()
    assert starts == [] and stack.processes["server"].poll() is None


def test_the_supervisor_thread_restarts_and_stop_is_never_undone(stack, caplog) -> None:
    """The real thing on the real clock: crash, restart, crash...; then `Stack.stop()` stops the supervisor first,
    so the servers it stops stay stopped."""
    caplog.set_level(logging.INFO, logger="bot.runner")
    stack.restart_policy = RestartPolicy(first_delay=0.05, max_delay=0.2, reset_after=60.0, check_interval=0.02)
    restarted = threading.Semaphore(0)

    def start_crasher() -> None:
        stack.spawn("crasher", CRASH, {})
        restarted.release()

    stack.spawn("crasher", CRASH, {})
    stack.spawn("steady", STAY_UP, {})
    steady = stack.processes["steady"]
    supervisor = stack.supervise({"crasher": start_crasher, "steady": lambda: stack.spawn("steady", STAY_UP, {})})
    assert supervisor.running
    for _ in range(4):
        assert restarted.acquire(timeout=30), "the crashed server was not restarted"
    started = time.monotonic()
    stack.stop()
    assert time.monotonic() - started < 15
    assert not supervisor.running and stack.supervisor is None  # the thread has ended: nothing can restart now
    assert stack.processes == {} and steady.returncode == -15  # stopped on purpose (SIGTERM)...
    assert not any(m.startswith("steady") for m in warnings_of(caplog))  # ...and not taken for a crash
    assert warnings_of(caplog)[:4] == [
        "crasher exited with code 3; restart attempt 1 in 0.05 s",
        "crasher exited with code 3; restart attempt 2 in 0.1 s",
        "crasher exited with code 3; restart attempt 3 in 0.2 s",
        "crasher exited with code 3; restart attempt 4 in 0.2 s",
    ]


def test_start_does_not_supervise_unless_asked(stack, monkeypatch) -> None:
    """Fault tests kill servers and restart them themselves: `Stack.start()` leaves that to them."""
    started = []
    monkeypatch.setattr("common.db.migrate", lambda url: None)
    for name in ("actions", "rasa", "admin"):
        monkeypatch.setattr(stack, f"start_{name}", lambda name=name: (started.append(name), stack.spawn(name, STAY_UP, {})))
    monkeypatch.setattr(stack, "wait_ready", lambda: None)
    stack.start(admin=True)
    assert started == ["actions", "rasa", "admin"] and stack.supervisor is None
    stack.stop()
    stack.start(admin=True, supervise=True)
    assert stack.supervisor is not None and stack.supervisor.running
    assert set(stack.supervisor.restarters) == {"actions", "rasa", "admin"}
    supervisor = stack.supervisor
    stack.stop()
    assert not supervisor.running


def test_run_passes_the_restart_settings_to_the_stack(monkeypatch, tmp_path) -> None:
    import bot.runner as runner

    seen = {}

    def fake_start(self, admin: bool = False, supervise: bool = False) -> Stack:
        seen.update(admin=admin, supervise=supervise, policy=self.restart_policy, log_dir=self.log_dir)
        raise KeyboardInterrupt  # as if Ctrl-C came at once

    monkeypatch.setattr(Stack, "start", fake_start)
    settings = Settings(log_dir=tmp_path / "log", restart_delay=2.0, restart_delay_max=30.0, restart_reset_after=90.0)
    monkeypatch.setattr(runner.signal, "signal", lambda *args: None)
    assert runner.run(settings) == 0
    assert seen == {"admin": True, "supervise": True, "log_dir": tmp_path / "log",
                    "policy": RestartPolicy(first_delay=2.0, max_delay=30.0, reset_after=90.0)}


def test_restart_settings_come_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("RESTART_DELAY", "0.5")
    monkeypatch.setenv("RESTART_DELAY_MAX", "20")
    monkeypatch.setenv("RESTART_RESET_AFTER", "120")
    monkeypatch.setenv("LOG_DIR", str(tmp_path))
    settings = Settings.from_env()
    assert (settings.restart_delay, settings.restart_delay_max, settings.restart_reset_after, settings.log_dir) == \
        (0.5, 20.0, 120.0, tmp_path)
    for name in ("RESTART_DELAY", "RESTART_DELAY_MAX", "RESTART_RESET_AFTER", "LOG_DIR"):
        monkeypatch.delenv(name)
    defaults = Settings.from_env()
    assert (defaults.restart_delay, defaults.restart_delay_max, defaults.restart_reset_after) == (1.0, 60.0, 60.0)


def test_a_real_crash_is_noticed_within_the_check_interval(stack) -> None:
    """Poll-based, so a kill is noticed quickly: `check_interval` bounds it."""
    stack.restart_policy = RestartPolicy(first_delay=0.0, check_interval=0.05)
    back = threading.Event()
    stack.spawn("server", STAY_UP, {})
    first = stack.processes["server"]
    stack.supervise({"server": lambda: (stack.spawn("server", STAY_UP, {}), back.set())})
    first.kill()
    assert back.wait(timeout=30)
    assert stack.processes["server"] is not first and stack.processes["server"].poll() is None
    assert first.returncode == -9


def test_without_a_telegram_token_the_terminal_chat_gets_the_settings_and_the_stack(monkeypatch: pytest.MonkeyPatch) -> None:
    started = []
    chats = []
    monkeypatch.setattr(runner.Stack, "start", lambda self, admin=False, **kw: started.append(admin) or self)
    monkeypatch.setattr(runner.Stack, "stop", lambda self: None)
    monkeypatch.setattr(signal, "signal", lambda *args: None)  # run() installs a SIGTERM handler: not in the test process
    monkeypatch.setattr(local_chat, "chat", lambda *args, **kwargs: chats.append((args, kwargs)))
    settings = Settings(telegram_bot_token="", rasa_token="secret")

    assert runner.run(settings) == 0

    assert started == [True]
    [(args, kwargs)] = chats
    assert args[0] is settings and not kwargs
    assert isinstance(args[1], runner.Stack) and args[1].token == "secret"
