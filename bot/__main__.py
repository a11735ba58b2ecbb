"""Command line: `python -m bot run` starts the whole product (see bot.runner)."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path


class RemoteRasa:
    """A Rasa server run elsewhere (another container): what the front end needs to know of it."""

    def __init__(self, rasa_url: str, token: str, tracker_db: Path) -> None:
        self.rasa_url, self.token, self.tracker_db = rasa_url, token, tracker_db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Brobygger")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start Rasa, the action server and the front end")
    sub.add_parser("telegram", help="only the Telegram front end, against RASA_URL (one of several instances: scale-out)")
    chat = sub.add_parser("chat", help="a terminal chat against the running product (e.g. a second terminal as a mentor)")
    chat.add_argument("--user", type=int, default=2, help="who this terminal is (a number; 1 is the terminal of make run)")
    from bot.handoff import cli as mentors_cli

    mentors_cli.add_parser(sub)
    from bot.admin import cli as admin_cli

    admin_cli.add_parser(sub)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if args.command == "run":
        from bot.runner import run

        return run()
    if args.command == "telegram":
        from bot.config import Settings
        from bot.telegram.app import run as run_telegram

        settings = Settings.from_env()
        run_telegram(settings, RemoteRasa(settings.rasa_url, settings.rasa_token, settings.rasa_tracker_db))
        return 0
    if args.command == "chat":
        from bot.config import Settings
        from bot.local_chat import chat as run_chat

        settings = Settings.from_env()
        run_chat(settings, RemoteRasa(settings.rasa_url, settings.rasa_token, settings.rasa_tracker_db), user_id=args.user)
        return 0
    if args.command == "mentors":
        return mentors_cli.run(args)
    if args.command == "admin":
        return admin_cli.run(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
