"""`python -m bot mentors ...`: staff invite peer mentors and see the roster from the command line."""
from __future__ import annotations

import argparse

import httpx
from sqlalchemy import select

from bot import outbox
from bot.config import Settings
from bot.handoff.desk import Desk
from common.db import make_engine, migrate, session_factory
from common.db.models import Mentor


def add_parser(sub: argparse._SubParsersAction) -> None:
    mentors = sub.add_parser("mentors", help="invite peer mentors, list the roster")
    actions = mentors.add_subparsers(dest="mentors_command", required=True)
    invite = actions.add_parser("invite", help="print a one-time invite link for a new mentor")
    invite.add_argument("--name", required=True, help="first name or pseudonym, shown to the people they help")
    invite.add_argument("--languages", required=True, help="comma-separated language codes, e.g. ar,fa")
    invite.add_argument("--countries", default="", help="DK, DE or DK,DE (default: both)")
    invite.add_argument("--supervisor", action="store_true", help="a supervisor: urgent cases, flags, all case notes")
    invite.add_argument("--max-cases", type=int, default=3, help="most chats at a time (default 3)")
    actions.add_parser("list", help="the roster: languages, duty, open chats")
    deactivate = actions.add_parser("deactivate", help="remove a mentor's access (their open chats go back to the queue)")
    deactivate.add_argument("mentor_id", type=int)


def bot_username(settings: Settings) -> str | None:
    """TELEGRAM_BOT_USERNAME, else ask Telegram (getMe) with the token; None without either."""
    if settings.telegram_bot_username:
        return settings.telegram_bot_username.lstrip("@")
    if not settings.telegram_bot_token:
        return None
    try:
        response = httpx.get(f"{settings.telegram_api_base_url}{settings.telegram_bot_token}/getMe", timeout=10)
        return response.json()["result"]["username"]
    except (httpx.HTTPError, KeyError, ValueError):
        return None


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    migrate(settings.database_url)
    sessions = session_factory(make_engine(settings.database_url))
    desk = Desk.from_settings(settings)
    if args.mentors_command == "invite":
        with sessions.begin() as session:
            try:
                invite = desk.create_invite(session, args.name, args.languages.split(","), args.countries.split(","),
                                            supervisor=args.supervisor, max_cases=args.max_cases)
            except ValueError as error:
                print(f"error: {error}")
                return 2
            code, expires = invite.code, invite.expires_at
        username = bot_username(settings)
        if username:
            print(f"https://t.me/{username}?start={code}")
        else:
            print(f"Send the mentor this link, with your bot's username: https://t.me/<bot_username>?start={code}")
        print(f"It works once, until {expires:%Y-%m-%d %H:%M} UTC.")
        return 0
    if args.mentors_command == "list":
        with sessions() as session:
            for listed in session.scalars(select(Mentor).order_by(Mentor.id)):
                print(f"{listed.id:>4}  {listed.name:<20} {listed.role:<10} {listed.languages:<16} "
                      f"{'on duty' if listed.on_duty else 'off duty':<9} {desk.load(session, listed)}/{listed.max_cases}"
                      f"{'' if listed.active else '  (deactivated)'}")
        return 0
    with sessions.begin() as session:
        mentor = session.get(Mentor, args.mentor_id)
        if mentor is None:
            print(f"error: no mentor {args.mentor_id}")
            return 2
        reopened = desk.load(session, mentor)
        outbox.put(session, desk.deactivate(session, mentor))  # sent by the bot, in the same transaction as the change
    print(f"deactivated {args.mentor_id}; {reopened} open chats went back to the queue; the mentor and the people "
          "are told when the bot runs")
    return 0
