"""The Telegram bot: python-telegram-bot Application with thin handlers over `bot.frontend.FrontEnd`.

Usage: started by `python -m bot run` (`make run`) when TELEGRAM_BOT_TOKEN is set. Long polling by default;
webhook mode when TELEGRAM_WEBHOOK_URL is set (with a secret token), which is also the way to scale out.
TELEGRAM_API_BASE_URL points the bot at a self-hosted or fake Bot API server.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from typing import Any, Awaitable, Callable, Coroutine, Dict, List

from telegram import BotCommand, Update
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot import outbox
from bot.config import Settings
from bot.exchange import Incoming, Outgoing
from bot.frontend import FrontEnd
from bot.rasa_client import RasaServer
from bot.telegram.render import keyboard, parts
from common import content, content_store
from common.i18n import translate
from common.strings import person as ui

logger = logging.getLogger(__name__)
# opt in to PTB's future behaviour (durations as timedelta); otherwise each 429 RetryAfter warns
os.environ.setdefault("PTB_TIMEDELTA", "1")

COMMANDS = list(ui.COMMANDS)  # the person's commands, in Telegram's menu
MENTOR_COMMANDS = ["duty", "queue", "cases", "case", "handover", "note", "flag", "languages", "me", "team", "r",
                   "kb"]  # bot.handoff (+ /remind)
# callback data families: appointments, consent, delete, rating, language, country, Rasa, topic, mentor
BUTTONS = r"^(?:[acdgklrt]|m[a-z]):"
MEDIA_KINDS = {
    "voice": filters.VOICE, "audio": filters.AUDIO, "video_note": filters.VIDEO_NOTE, "photo": filters.PHOTO,
    "video": filters.VIDEO, "document": filters.Document.ALL, "sticker": filters.Sticker.ALL,
    "location": filters.LOCATION, "contact": filters.CONTACT,
}


class TolerantBot(ExtBot):
    """python-telegram-bot's bot, except that an update this version cannot read does not stop polling.

    PTB parses a whole getUpdates batch at once; one update it cannot read (a Telegram feature newer than the
    library, a broken proxy) raises, the offset never advances and the same batch comes back forever — and PTB
    logs the raw batch, message texts included. Here each update is checked alone; an unreadable one is replaced by
    an empty update with its id (so polling moves on, no handler matches it) and logged without its content.

    `_post` is private API of python-telegram-bot 22: PTB has no public hook between receiving getUpdates' raw JSON
    and parsing it. Pinned in requirements/app.lock; tests/telegram/test_bad_updates.py sends malformed and future
    updates through the fake Bot API and fails if this override stops working after an upgrade."""

    async def _post(self, endpoint: str, data: Any = None, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, data, *args, **kwargs)
        if endpoint == "getUpdates" and isinstance(result, list):
            result = [self._readable(raw) for raw in result]
        return result

    def _readable(self, raw: Any) -> Any:
        try:
            Update.de_json(raw, self)
            return raw
        except Exception as error:  # noqa: BLE001 - whatever the library cannot parse
            update_id = raw.get("update_id") if isinstance(raw, dict) else None
            logger.error("skipped an update this version cannot read (update_id %s): %s", update_id, type(error).__name__)
            return {"update_id": update_id} if isinstance(update_id, int) else raw


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Updates of different chats are handled concurrently (their Rasa calls overlap: throughput); the updates of
    one chat one after another, in the order Telegram sent them (a person's conversation stays in order)."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: Dict[int, List[Any]] = {}  # chat id -> [lock, updates holding or waiting for it]

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
        if chat is None:
            await coroutine
            return
        entry = self._chats.setdefault(chat, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                await coroutine
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                del self._chats[chat]  # nobody of this chat holds or waits for the lock

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass


class ChatPacer:
    """Telegram allows about one message a second per private chat; AIORateLimiter in PTB 22 paces only the
    global and group limits, so multi-part replies are spaced here."""

    def __init__(self, min_interval: float, capacity: int = 10_000) -> None:
        self._min_interval = min_interval
        self._capacity = capacity
        self._last: Dict[int, float] = {}  # chat id -> when it was last sent to (only recent chats are kept)

    async def wait(self, chat_id: int) -> None:
        delay = self._last.get(chat_id, 0.0) + self._min_interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        now = time.monotonic()
        self._last.pop(chat_id, None)
        self._last[chat_id] = now  # insertion order = order of last use
        if len(self._last) > self._capacity:  # forget chats whose interval is over: they need no waiting
            for old in [chat for chat, at in self._last.items() if now - at >= self._min_interval]:
                del self._last[old]

    def __len__(self) -> int:
        return len(self._last)


async def deliver(context: ContextTypes.DEFAULT_TYPE, replies: List[Outgoing]) -> None:
    """Send replies in order; buttons go under the last part of a split message. Relayed media are copied
    (copyMessage shows no sender, so neither side sees the other's account); notifications are edited in place."""
    pacer: ChatPacer = context.application.bot_data["pacer"]
    front: FrontEnd = context.application.bot_data["assistant"]
    for reply in replies:
        if reply.edit_message_id is not None:
            try:
                await context.bot.edit_message_text(reply.text, chat_id=reply.chat_id, message_id=reply.edit_message_id)
            except TelegramError as error:  # too old or already changed: nothing else depends on it
                logger.info("could not edit a notification: %s", error.__class__.__name__)
            continue
        if reply.copy_from is not None:
            await pacer.wait(reply.chat_id)
            await context.bot.copy_message(
                reply.chat_id, from_chat_id=reply.copy_from[0], message_id=reply.copy_from[1],
                reply_markup=keyboard(reply.buttons) if reply.buttons else None,
            )
            continue
        chunks = parts(reply.text, reply.rtl)
        for index, chunk in enumerate(chunks):
            last = index == len(chunks) - 1
            await pacer.wait(reply.chat_id)
            sent = await context.bot.send_message(
                reply.chat_id, chunk, reply_markup=keyboard(reply.buttons) if last else None,
                disable_web_page_preview=True,
            )
            if last and reply.notification_id is not None:
                await front.db.run(front.record_notification, reply.notification_id, sent.message_id)


def _incoming(update: Update, kind: str, text: str = "") -> Incoming:
    user = update.effective_user
    location = None
    message = update.effective_message
    if kind == "location" and message is not None and message.location is not None:
        location = (message.location.latitude, message.location.longitude)
    return Incoming(
        update_id=update.update_id,
        user_id=user.id if user else 0,
        chat_id=update.effective_chat.id if update.effective_chat else 0,
        kind=kind,
        text=text,
        language_hint=user.language_code if user else None,
        location=location,
        message_id=message.message_id if message is not None else 0,
    )


def _text(update: Update) -> str:
    message = update.effective_message
    return (message.text if message is not None else None) or ""


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A text message (one that starts with "/" but is no command Telegram recognised gets the help text)."""
    text = _text(update)
    kind = "command" if text.startswith("/") else "text"
    await deliver(context, await context.application.bot_data["assistant"].handle(_incoming(update, kind, text)))


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command (/start, /mydata, a mentor's /duty, a deep link /start CODE, or one we do not know)."""
    text = _text(update)
    await deliver(context, await context.application.bot_data["assistant"].handle(_incoming(update, "command", text)))


def on_kind(kind: str) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
    async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A voice note, photo, sticker, location...: a clear reply, never silence."""
        await deliver(context, await context.application.bot_data["assistant"].handle(_incoming(update, kind)))

    return handler


async def on_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edited message: say that only new messages are answered."""
    await deliver(context, await context.application.bot_data["assistant"].handle(_incoming(update, "edited")))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A pressed inline button."""
    query = update.callback_query
    if query is None:  # a CallbackQueryHandler only calls this with one
        return
    await query.answer()
    data = query.data or ""
    replies = await context.application.bot_data["assistant"].press(_incoming(update, "button", data))
    if query.message is not None:
        try:  # take the keyboard away so an old question cannot be answered twice
            await query.edit_message_reply_markup(None)
        except Exception:  # noqa: BLE001 - the message may be too old to edit; the reply still goes out
            logger.info("could not remove an old keyboard")
    await deliver(context, replies)


async def on_other(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any other update with a chat (polls, dice, games...): the generic reply."""
    if update.effective_chat and update.effective_user and update.effective_message:
        await deliver(context, await context.application.bot_data["assistant"].handle(_incoming(update, "other")))


async def retry_pending(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: answer messages that were kept while Rasa was down (the answers go out through the outbox)."""
    front: FrontEnd = context.application.bot_data["assistant"]
    answers = await front.retry_pending()
    if answers:
        await front.db.transaction(outbox.put, answers)
        await deliver_outbox(context)


async def check_waiting(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: people waiting for a mentor too long hear honestly that nobody is free (through the outbox)."""
    front: FrontEnd = context.application.bot_data["assistant"]
    with_outbox = await front.db.run(_check_waiting_into_outbox, front)
    if with_outbox:
        await deliver_outbox(context)


def _check_waiting_into_outbox(front: FrontEnd) -> int:
    with front.db.sessions.begin() as session:
        return outbox.put(session, front.desk.check_waiting(session))


async def check_mentors(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: unanswered messages (a reminder, then back to the queue) and the weekly limit, through the outbox."""
    front: FrontEnd = context.application.bot_data["assistant"]
    if await front.db.run(_check_mentors_into_outbox, front):
        await deliver_outbox(context)


def _check_mentors_into_outbox(front: FrontEnd) -> int:
    with front.db.sessions.begin() as session:  # each step decided by a conditional UPDATE: once across instances
        return outbox.put(session, front.desk.check_mentors(session))


async def run_reminders(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: appointment reminders and follow-ups that are due, claimed once across instances, into the outbox."""
    front: FrontEnd = context.application.bot_data["assistant"]
    if await front.db.run(front.run_reminders):
        await deliver_outbox(context)


async def purge_expired(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: delete data older than the retention period."""
    front: FrontEnd = context.application.bot_data["assistant"]
    deleted = await front.db.run(front.purge_expired)
    if deleted:
        logger.info("retention: deleted %s people", deleted)


async def deliver_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Job: send what the admin, the CLI and the jobs queued in the outbox; each row once, across instances."""
    front: FrontEnd = context.application.bot_data["assistant"]
    while True:
        rows = await front.db.transaction(outbox.claim)
        if not rows:
            return
        for row_id, message in rows:
            try:
                await deliver(context, [message])
            except TelegramError as error:
                logger.warning("outbox message %s not sent: %s", row_id, error.__class__.__name__)
                await front.db.transaction(outbox.release, [row_id])
                return
            await front.db.transaction(outbox.mark_sent, [row_id])


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log without message text; tell the person something went wrong, in their phone's language."""
    logger.error("error while handling an update: %s", type(context.error).__name__, exc_info=context.error)
    context.application.bot_data["errors"] = context.application.bot_data.get("errors", 0) + 1  # for health checks and tests
    if isinstance(update, Update) and update.effective_chat:
        hint = (update.effective_user.language_code or "en").split("-")[0] if update.effective_user else "en"
        known = context.application.bot_data["assistant"].language_of_chat(update.effective_chat.id)
        lang = known or (hint if hint in content.languages() else "en")
        try:
            # not "your message is kept": when the database itself failed, it may not be
            await context.bot.send_message(update.effective_chat.id, translate(lang, ui.TRY_AGAIN))
        except Exception:  # noqa: BLE001 - nothing more we can do; it is logged above
            logger.error("could not send the error reply")


async def register_commands(application: Application) -> None:
    """setMyCommands once per language, so each person sees the menu in their phone's language."""
    for code in content.languages():
        commands = [BotCommand(name, translate(code, ui.COMMANDS[name])) for name in COMMANDS]
        await application.bot.set_my_commands(commands, language_code=None if code == "en" else code)


async def close_assistant(application: Application) -> None:
    """post_shutdown: close the front end's HTTP client and database threads."""
    await application.bot_data["assistant"].close()


def build_application(
    token: str,
    assistant: FrontEnd,
    base_url: str = "https://api.telegram.org/bot",
    chat_interval: float = 1.0,
    retry_interval: float = 10.0,
    max_retries: int = 3,
    waiting_interval: float = 15.0,
    outbox_interval: float = 1.0,
    care_interval: float = 30.0,
    reminder_interval: float = 30.0,
) -> Application:
    bot = TolerantBot(
        token, base_url=base_url, base_file_url=base_url.replace("/bot", "/file/bot"),
        rate_limiter=AIORateLimiter(max_retries=max_retries),
        request=HTTPXRequest(connection_pool_size=256), get_updates_request=HTTPXRequest(),
    )
    application = (
        Application.builder()
        .bot(bot)
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(register_commands)
        .post_shutdown(close_assistant)
        .build()
    )
    application.bot_data["assistant"] = assistant
    application.bot_data["pacer"] = ChatPacer(chat_interval)
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, on_edited))
    # deep link: a mentor's invite (`t.me/<bot>?start=<code>`) arrives as "/start <code>"
    application.add_handler(CommandHandler("start", on_command, filters.Regex(r"^/start(@\w+)? \S+")))
    application.add_handler(CommandHandler(COMMANDS + MENTOR_COMMANDS, on_command))
    application.add_handler(MessageHandler(filters.COMMAND, on_command))  # unknown commands get the help text
    application.add_handler(MessageHandler(filters.TEXT, on_text))
    for kind, kind_filter in MEDIA_KINDS.items():
        application.add_handler(MessageHandler(kind_filter, on_kind(kind)))
    application.add_handler(CallbackQueryHandler(on_button, pattern=BUTTONS))
    application.add_handler(CallbackQueryHandler(on_button))  # an old or forged button: "no longer active"
    application.add_handler(MessageHandler(filters.ALL, on_other))
    application.add_error_handler(on_error)
    jobs = application.job_queue
    if jobs is None:  # python-telegram-bot installed without its job-queue extra
        raise RuntimeError("python-telegram-bot[job-queue] is required (requirements/app.in)")
    jobs.run_repeating(retry_pending, interval=retry_interval, first=retry_interval)
    jobs.run_repeating(check_waiting, interval=waiting_interval, first=waiting_interval)
    jobs.run_repeating(deliver_outbox, interval=outbox_interval, first=outbox_interval)
    jobs.run_repeating(check_mentors, interval=care_interval, first=care_interval)
    jobs.run_repeating(run_reminders, interval=reminder_interval, first=min(5.0, reminder_interval))
    jobs.run_repeating(purge_expired, interval=3600, first=60)
    return application


def run(settings: Settings, stack: RasaServer) -> None:
    """Run the bot until Ctrl-C: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set."""
    from bot.rasa_client import RasaClient
    from common.db import make_engine, migrate, session_factory

    migrate(settings.database_url)
    content_store.configure(settings.database_url)  # translations staff import in the web admin
    assistant = FrontEnd(session_factory(make_engine(settings.database_url)), RasaClient(stack.rasa_url, stack.token), settings)
    application = build_application(
        settings.telegram_bot_token, assistant, base_url=settings.telegram_api_base_url,
        chat_interval=settings.telegram_chat_interval, retry_interval=settings.retry_interval,
        waiting_interval=min(15.0, max(1.0, settings.handoff_timeout / 4)), outbox_interval=settings.outbox_interval,
        care_interval=settings.care_interval,
        reminder_interval=settings.reminder_interval,
    )
    if settings.telegram_webhook_url:
        application.run_webhook(
            listen="0.0.0.0", port=settings.telegram_webhook_port, url_path="telegram",
            secret_token=settings.telegram_webhook_secret, webhook_url=settings.telegram_webhook_url,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
