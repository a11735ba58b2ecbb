"""Load benchmark (not a test): simulated Telegram users through a fake Bot API server against the running product,
and the same messages straight to Rasa's REST channel in the same run, so the bot's overhead is a ratio.

    .venv-app/bin/python scripts/load_benchmark.py --rates 5,10,20 --out docs/load.md

Each simulated user has consented and chosen a language and country (as after /start), then asks held-out
questions in their language. Messages follow an open-loop schedule (a fixed offered rate, the users in turn), the
same for both paths, so the comparison is fair and a slow reply cannot hide load (no coordinated omission). Measured: reply latency (update sent -> the bot's
sendMessage arrives at the fake API) p50/p95/p99, replies/s, mentor notification latency (a `/mentor` request ->
the notification at an on-duty mentor), how long the supervisors' live desk takes to show a new request (a request
created -> it is in /desk/live, which the open desk fetches every few seconds), and the resident memory of every
process of the product. `--desk-only` measures the desk alone (the admin, no Rasa): a quick run.
Targets (trust-and-scale issue): >= 50 replies/s; p95 overhead over Rasa alone <= 20 %; mentor notification <= 1 s;
whole product <= 2.5 GB RSS.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import random
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from sqlalchemy import select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark import percentile, rss_mb  # noqa: E402
from evaluate_nlu import load_test_set  # noqa: E402

from bot.admin import security  # noqa: E402
from bot.admin.routes.desk import REFRESH_SECONDS  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.handoff import guide  # noqa: E402
from bot.handoff.desk import Desk  # noqa: E402
from bot.privacy import pseudonym  # noqa: E402
from bot.runner import Stack  # noqa: E402
from common.db import make_engine, migrate, session_factory  # noqa: E402
from common.db.models import Mentor, Person, utcnow  # noqa: E402
from tests.auxil.fake_bot_api import FakeBotApi  # noqa: E402
from tests.conftest import _free_port  # noqa: E402

KEY = "load-benchmark"
FIRST_USER = 8_000_000
FIRST_DESK_USER = 8_500_000
DESK_PASSWORD = "load benchmark supervisor"


def questions() -> dict[str, list[str]]:
    by_language: dict[str, list[str]] = {}
    for lang, intent, text in load_test_set(ROOT / "tests" / "nlu_heldout"):
        if intent not in ("crisis", "request_mentor", "emotional_distress", "delete_my_data", "change_language"):
            by_language.setdefault(lang, []).append(text)  # no hand-offs or erasures in the latency run
    return by_language


def start_bot(stack: Stack, api: FakeBotApi, database_url: str) -> None:
    """The product's Telegram front end as production runs it (`python -m bot telegram`, long polling), in its own
    process (measured and stopped with the stack), polling the fake Bot API: the simulated users and the fake API
    do not share its interpreter."""
    stack.spawn("bot", [str(ROOT / ".venv-app/bin/python"), "-m", "bot", "telegram"], {
        "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": "1:LOAD", "TELEGRAM_API_BASE_URL": api.base_url,
        "RASA_URL": stack.rasa_url, "RASA_TOKEN": stack.token, "DATABASE_URL": database_url, "PSEUDONYM_KEY": KEY,
        "RASA_TRACKER_DB": str(stack.tracker_db), "TELEGRAM_WEBHOOK_URL": "",
    })
    deadline = time.monotonic() + 60
    while not api.calls("deleteWebhook"):  # run_polling starts with deleteWebhook, then polls
        if stack.processes["bot"].poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the bot did not start; see {stack.log_dir / 'bot.log'}")
        time.sleep(0.1)


def seed_people(database_url: str, users: int, languages: list[str]) -> dict[int, str]:
    sessions = session_factory(make_engine(database_url))
    chosen = {}
    with sessions.begin() as db:
        for n in range(users):
            user, lang = FIRST_USER + n, languages[n % len(languages)]
            db.add(Person(pseudonym=pseudonym(KEY, user), chat_id=user, language=lang, language_chosen=True,
                          country="DK" if n % 2 else "DE", consent_at=utcnow()))
            chosen[user] = lang
    return chosen


def plan(people: dict[int, str], rate: float, count: int, first: int = 0) -> dict[int, list[float]]:
    """An open-loop schedule shared by both paths: message i is due at i / rate seconds, from the users in turn, so
    each user writes every len(people) / rate seconds (people do not type faster than they read the answer)."""
    users = list(people)
    schedule: dict[int, list[float]] = {}
    for i in range(count):
        schedule.setdefault(users[(first + i) % len(users)], []).append(i / rate)
    return schedule


def run_bot_load(api: FakeBotApi, people: dict[int, str], texts: dict[str, list[str]], schedule: dict[int, list[float]]):
    """Each simulated user sends their messages at the planned times (or right after their previous answer, if it
    is late); latency = the bot's first sendMessage to the user minus the send time. Returns latencies, wall time."""
    latencies: list[float] = []
    lock = threading.Lock()
    start = time.monotonic() + 0.5

    def user_loop(user: int, due: list[float]) -> None:
        rng = random.Random(user)
        for offset in due:
            time.sleep(max(0.0, start + offset - time.monotonic()))
            before = len(api.messages_to(user))
            sent = time.monotonic()
            api.send_text(user, rng.choice(texts[people[user]]))
            reply = api.wait_for(user, 1, after=before, timeout=300)[0]
            with lock:
                latencies.append(reply.at - sent)

    threads = [threading.Thread(target=user_loop, args=item) for item in schedule.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.monotonic() - 0.3 - start  # wait_for lingers 0.3 s for multi-part replies


async def run_rasa_load(stack: Stack, people: dict[int, str], texts: dict[str, list[str]], schedule: dict[int, list[float]]):
    """The same schedule straight to Rasa's REST channel, senders of their own (fresh conversations, like the bot's)."""
    latencies: list[float] = []
    failures: list[float] = []
    limits = httpx.Limits(max_connections=len(schedule), max_keepalive_connections=len(schedule))
    async with httpx.AsyncClient(timeout=300, limits=limits) as client:
        start = time.monotonic() + 0.5

        async def user_loop(user: int, due: list[float]) -> None:
            rng = random.Random(user)
            lang = people[user]
            for offset in due:
                await asyncio.sleep(max(0.0, start + offset - time.monotonic()))
                sent = time.monotonic()
                try:
                    response = await client.post(f"{stack.rasa_url}/webhooks/rest/webhook",
                                                 json={"sender": f"rest-{user}", "message": rng.choice(texts[lang]),
                                                       "metadata": {"language": lang, "country": "DK" if user % 2 else "DE"}})
                    response.raise_for_status()
                    latencies.append(time.monotonic() - sent)
                except httpx.HTTPError:
                    failures.append(time.monotonic() - sent)  # reported: Rasa dropped the request

        await asyncio.gather(*(user_loop(user, due) for user, due in schedule.items()))
        return latencies, time.monotonic() - start, len(failures)


def mentor_notifications(api: FakeBotApi, settings: Settings, requests: int) -> list[float]:
    """On-duty mentors for every language; people ask for a mentor; time until the first notification arrives."""
    sessions = session_factory(make_engine(settings.database_url))
    with sessions.begin() as db:
        invite = Desk.from_settings(settings).create_invite(db, "Bench", ["en", "da", "de", "ar", "fa", "uk", "ru", "tr", "so", "ti"],
                                                  max_cases=requests + 1)
        code = invite.code
    mentor = 7_999_999
    api.send_text(mentor, f"/start {code}")
    api.wait_for(mentor, 1)
    with sessions.begin() as db:  # the boundaries guide, read and accepted before the first duty
        bench = db.scalar(select(Mentor).where(Mentor.pseudonym == pseudonym(settings.pseudonym_key, mentor)))
        guide.accept(db, bench, guide.current_version(db))
    api.send_text(mentor, "/duty on")
    api.wait_for(mentor, 2)
    delays = []
    for n in range(requests):
        person = FIRST_USER + n
        seen = len(api.messages_to(mentor))
        start = time.monotonic()
        api.send_text(person, "/mentor")
        notice = api.wait_for(mentor, 1, after=seen, timeout=30)[0]
        delays.append(notice.at - start)
        api.send_text(person, "/end")
        time.sleep(0.3)
    return delays


def desk_visibility(settings: Settings, admin_url: str, requests: int) -> dict[str, list[float]]:
    """How long the live desk takes to show a new request. Requests are made by the function the bot calls
    (Desk.request, committed); from the commit, two clocks, on alternate requests: `fresh` asks /desk/live back to
    back (how soon the admin can show it), `seen` polls it every REFRESH_SECONDS from a random phase, as desk.js in
    an open desk does (what a supervisor waits). `response` is each /desk/live response time; the queue grows to
    `requests` waiting cases (every fifth urgent)."""
    sessions = session_factory(make_engine(settings.database_url))
    desk = Desk.from_settings(settings)
    with sessions.begin() as db:
        security.create_user(db, "load-supervisor", DESK_PASSWORD, "supervisor")
    rng = random.Random(16)
    figures: dict[str, list[float]] = {"fresh": [], "seen": [], "response": []}
    with httpx.Client(base_url=admin_url, timeout=30) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)  # type: ignore[union-attr]
        client.post("/login", data={"username": "load-supervisor", "password": DESK_PASSWORD, "csrf_token": token})
        if client.get("/desk/live").status_code != 200:
            raise RuntimeError("cannot open the desk (ADMIN_COOKIE_SECURE must be false for this http client)")

        def fetch() -> str:
            sent = time.monotonic()
            text = client.get("/desk/live").text
            figures["response"].append(time.monotonic() - sent)
            return text

        for n in range(requests):
            with sessions.begin() as db:
                person = Person(pseudonym=pseudonym(KEY, FIRST_DESK_USER + n), chat_id=FIRST_DESK_USER + n, language="ar",
                                language_chosen=True, country="DK", consent_at=utcnow())
                db.add(person)
                db.flush()
                desk.request(db, person, "ar", "crisis" if n % 5 == 0 else "request")
                case_id = desk.open_case(db, person).id  # type: ignore[union-attr]
            created = time.monotonic()
            shown = f'id="waiting-{case_id}"'
            if n % 2 == 0:
                while shown not in fetch():
                    pass
                figures["fresh"].append(time.monotonic() - created)
            else:
                poll = created + rng.uniform(0, REFRESH_SECONDS)  # where in its cycle the open desk happens to be
                while True:
                    time.sleep(max(0.0, poll - time.monotonic()))
                    if shown in fetch():
                        break
                    poll += REFRESH_SECONDS
                figures["seen"].append(time.monotonic() - created)
    return figures


def desk_lines(figures: dict[str, list[float]]) -> list[str]:
    def ms(values: list[float], q: float) -> str:
        return f"{percentile(values, q) * 1000:.0f} ms"

    return [
        f"- live desk, a new request -> on the open desk (it polls `/desk/live` every {REFRESH_SECONDS} s, from a random "
        f"phase): p50 {ms(figures['seen'], 50)}, p95 {ms(figures['seen'], 95)}, max {max(figures['seen']) * 1000:.0f} ms "
        f"({len(figures['seen'])} requests); the admin shows it from its next response: p50 {ms(figures['fresh'], 50)}, "
        f"p95 {ms(figures['fresh'], 95)} ({len(figures['fresh'])} requests, asked back to back); `/desk/live` answers in "
        f"p50 {ms(figures['response'], 50)}, p95 {ms(figures['response'], 95)} with up to "
        f"{len(figures['seen']) + len(figures['fresh'])} requests waiting",
    ]


def desk_only(args: argparse.Namespace) -> int:
    """The live desk's figures alone: the admin as `make run` starts it, no Rasa, no bot."""
    tmp = Path(tempfile.mkdtemp(prefix="brobygger-desk-"))
    database_url = f"sqlite:///{tmp / 'product.db'}"
    settings = Settings(admin_port=_free_port(), database_url=database_url, pseudonym_key=KEY)
    migrate(database_url)
    stack = Stack(settings, log_dir=tmp / "log", tracker_db=tmp / "tracker.db")
    os.environ["ADMIN_COOKIE_SECURE"] = "false"  # the benchmark's client speaks plain HTTP to 127.0.0.1
    try:
        stack.start_admin()
        stack.wait_ready()
        lines = desk_lines(desk_visibility(settings, stack.admin_url, args.desk_requests))
    finally:
        stack.stop()
    print(f"`.venv-app/bin/python scripts/load_benchmark.py --desk-only --desk-requests {args.desk_requests}` on "
          f"{platform.node()} ({os.cpu_count()} cores), SQLite, {datetime.date.today().isoformat()}:")
    print("\n".join(lines))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200, help="distinct simulated people")
    parser.add_argument("--rates", default="5,10,20", help="offered messages/s, one step each")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each step")
    parser.add_argument("--warmup", type=int, default=40, help="messages per path before measuring (not counted)")
    parser.add_argument("--mentor-requests", type=int, default=20)
    parser.add_argument("--desk-requests", type=int, default=40, help="new requests timed onto the live desk")
    parser.add_argument("--desk-only", action="store_true", help="only the live desk's figures (no Rasa, no bot)")
    parser.add_argument("--out")
    args = parser.parse_args()
    if args.desk_only:
        return desk_only(args)
    rates = [float(rate) for rate in args.rates.split(",")]

    texts = questions()
    tmp = Path(tempfile.mkdtemp(prefix="brobygger-load-"))
    database_url = f"sqlite:///{tmp / 'product.db'}"
    settings = Settings(rasa_port=_free_port(), action_port=_free_port(), admin_port=_free_port(), database_url=database_url,
                        pseudonym_key=KEY)
    stack = Stack(settings, log_dir=tmp / "log", tracker_db=tmp / "tracker.db")
    os.environ["DATABASE_URL"] = database_url
    os.environ["ADMIN_COOKIE_SECURE"] = "false"  # the desk measurement's client speaks plain HTTP to 127.0.0.1
    print("starting Rasa, actions, admin and the bot...", flush=True)
    api = FakeBotApi().start()
    steps = []
    try:
        stack.start(admin=True)
        migrate(database_url)
        everyone = seed_people(database_url, max(args.users, args.mentor_requests), sorted(texts))
        people = dict(list(everyone.items())[: args.users])
        start_bot(stack, api, database_url)
        warm = plan(people, 5.0, args.warmup)
        run_bot_load(api, people, texts, warm)
        asyncio.run(run_rasa_load(stack, people, texts, warm))
        first = args.warmup
        for rate in rates:
            schedule = plan(people, rate, int(rate * args.seconds), first)
            first += int(rate * args.seconds)
            print(f"{rate:g} messages/s for {args.seconds:g} s: through the bot, then straight to Rasa...", flush=True)
            bot = run_bot_load(api, people, texts, schedule)
            rasa = asyncio.run(run_rasa_load(stack, people, texts, schedule))
            steps.append((rate, bot, rasa))
        memory = {name: rss_mb(proc.pid) for name, proc in stack.processes.items()}
        print("mentor notifications...", flush=True)
        notify = mentor_notifications(api, settings, args.mentor_requests)
        print("the live desk...", flush=True)
        desk = desk_visibility(settings, stack.admin_url, args.desk_requests)
    finally:
        stack.stop()
        api.stop()

    def row(rate: float, name: str, values: list[float], wall: float) -> str:
        ms = [v * 1000 for v in values]
        return (f"| {rate:g} | {name} | {len(values)} | {percentile(ms, 50):.0f} | {percentile(ms, 95):.0f} "
                f"| {percentile(ms, 99):.0f} | {len(values) / wall:.1f} |")

    def sustained(index: int) -> str:
        """The highest offered rate a path kept up with: it answered at >= 95 % of the rate, p95 under 2 s."""
        kept = [rate for rate, *paths in steps
                if len(paths[index][0]) / paths[index][1] >= 0.95 * rate and percentile(paths[index][0], 95) < 2.0]
        return f"{max(kept):g}/s" if kept else f"below {min(rates):g}/s"

    table = []
    for rate, (bot_latency, bot_wall), (rasa_latency, rasa_wall, _) in steps:
        table += [row(rate, "through the bot", bot_latency, bot_wall), row(rate, "Rasa REST alone", rasa_latency, rasa_wall)]
    overheads = ", ".join(f"{(percentile(bot[0], 95) / percentile(rasa[0], 95) - 1) * 100:+.0f} % at {rate:g}/s"
                          for rate, bot, rasa in steps)
    dropped = sum(rasa[2] for _, _, rasa in steps)
    total_memory = sum(memory.values())
    lines = [
        f"# Load benchmark — {datetime.date.today().isoformat()}",
        "",
        f"`.venv-app/bin/python scripts/load_benchmark.py --users {args.users} --rates {args.rates} "
        f"--seconds {args.seconds:g} --warmup {args.warmup} --mentor-requests {args.mentor_requests} "
        f"--desk-requests {args.desk_requests}` on "
        f"{platform.node()} ({os.cpu_count()} cores): SQLite product database; Rasa, actions and admin as `make run` "
        "starts them; the bot as production runs it (`python -m bot telegram`, its own process) polling a fake Bot API "
        "server over HTTP. The fake API and the simulated users run in the benchmark's process. Both paths get the "
        "same open-loop schedule (message i due at i / rate s, the users in turn) after a warm-up.",
        "",
        "| offered msg/s | path | replies | p50 ms | p95 ms | p99 ms | replies/s |",
        "|---|---|---|---|---|---|---|",
        *table,
        "",
        f"- p95 overhead of the bot over Rasa alone: **{overheads}** (target ≤ +20 %)",
        f"- highest rate kept up with (≥ 95 % of the offered rate answered, p95 < 2 s): through the bot "
        f"**{sustained(0)}**, Rasa alone **{sustained(1)}** (target ≥ 50/s)",
        f"- requests Rasa's REST channel dropped (not counted above): {dropped}; through the bot none can be dropped "
        "silently (a message is kept and retried)",
        f"- mentor notification after a `/mentor` request: p50 {percentile(notify, 50) * 1000:.0f} ms, "
        f"max {max(notify) * 1000:.0f} ms (target ≤ 1 s)",
        *desk_lines(desk),
        "",
        "| process | RSS MB |",
        "|---|---|",
        *[f"| {name} | {value:.0f} |" for name, value in memory.items()],
        f"| **whole product** | **{total_memory:.0f}** (target ≤ 2,560) |",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if args.out:
        Path(args.out).write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
