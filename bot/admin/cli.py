"""`python -m bot admin ...`: staff accounts from the command line. The first admin account is created here (there
is no default password); the same life cycle as the admin's Accounts page (bot.admin.security), audited as
"cli": list-users, create-user, deactivate, reactivate, reset-password, set-role."""
from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import select

from bot.config import Settings
from common.db import make_engine, migrate, session_factory

ROLES = ["editor", "supervisor", "admin"]
ACTOR = "cli"  # who the audit log names for a change made here


def add_parser(sub: argparse._SubParsersAction) -> None:
    admin = sub.add_parser("admin", help="web admin accounts")
    actions = admin.add_subparsers(dest="admin_command", required=True)
    create = actions.add_parser("create-user", help="create a staff account (asks for the password)")
    create.add_argument("--username", required=True)
    create.add_argument("--role", choices=ROLES, default="admin")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    actions.add_parser("list-users", help="the staff accounts, their roles and whether they are active")
    for name, text in (("deactivate", "deactivate an account (its sessions end at once)"),
                       ("reactivate", "let a deactivated account log in again")):
        action = actions.add_parser(name, help=text)
        action.add_argument("--username", required=True)
    reset = actions.add_parser("reset-password", help="set a new password (asks for it; the account's sessions end)")
    reset.add_argument("--username", required=True)
    reset.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    role = actions.add_parser("set-role", help="change an account's role")
    role.add_argument("--username", required=True)
    role.add_argument("--role", choices=ROLES, required=True)


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password (at least 12 characters): ")
    if getpass.getpass("Again: ") != password:
        print("error: the passwords differ")
        return None
    return password


def run(args: argparse.Namespace) -> int:
    from bot.admin import security, service
    from common.db.models import StaffUser

    settings = Settings.from_env()
    migrate(settings.database_url)
    command = args.admin_command
    password = _password(args) if command in ("create-user", "reset-password") else ""
    if password is None:
        return 2
    engine = make_engine(settings.database_url)
    try:
        with session_factory(engine).begin() as session:
            if command == "list-users":
                for account in session.scalars(select(StaffUser).order_by(StaffUser.username)):
                    print(f"{account.username}\t{account.role}\t{'active' if account.active else 'deactivated'}")
                return 0
            if command == "create-user":
                created = security.create_user(session, args.username, password, args.role)
                service.audit(session, ACTOR, "create account", f"staff:{created.username}", None, created.role)
                print(f"created {created.username} ({args.role}); log in at http://127.0.0.1:{settings.admin_port}/login")
                return 0
            account = security.find_user(session, args.username)
            if command in ("deactivate", "reactivate"):
                security.set_active(session, ACTOR, account, command == "reactivate")
            elif command == "reset-password":
                security.set_password(session, ACTOR, account, password)
            else:
                security.set_role(session, ACTOR, account, args.role)
            print(f"{account.username}: {command} done")
            return 0
    except (ValueError, LookupError) as error:
        print(f"error: {error}")
        return 2
    finally:
        engine.dispose()
