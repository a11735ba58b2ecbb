"""`python -m bot admin create-user`: the first admin account is created here (there is no default password)."""
from __future__ import annotations

import argparse
import getpass
import sys

from bot.config import Settings
from common.db import make_engine, migrate, session_factory


def add_parser(sub: argparse._SubParsersAction) -> None:
    admin = sub.add_parser("admin", help="web admin accounts")
    actions = admin.add_subparsers(dest="admin_command", required=True)
    create = actions.add_parser("create-user", help="create a staff account (asks for the password)")
    create.add_argument("--username", required=True)
    create.add_argument("--role", choices=["editor", "supervisor", "admin"], default="admin")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")


def run(args: argparse.Namespace) -> int:
    from bot.admin.security import create_user

    settings = Settings.from_env()
    migrate(settings.database_url)
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password (at least 12 characters): ")
        if getpass.getpass("Again: ") != password:
            print("error: the passwords differ")
            return 2
    with session_factory(make_engine(settings.database_url)).begin() as session:
        try:
            create_user(session, args.username, password, args.role)
        except ValueError as error:
            print(f"error: {error}")
            return 2
    print(f"created {args.username} ({args.role}); log in at http://127.0.0.1:{settings.admin_port}/login")
    return 0
