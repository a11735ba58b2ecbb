"""Command line: `python -m bot run` starts the whole product (see bot.runner)."""
from __future__ import annotations

import argparse
import logging
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="Brobygger")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="start Rasa, the action server and the front end")
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
    if args.command == "mentors":
        return mentors_cli.run(args)
    if args.command == "admin":
        return admin_cli.run(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
