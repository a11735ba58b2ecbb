"""A fake Telegram Bot API server over real HTTP (Starlette + uvicorn), for python-telegram-bot to talk to.

The bot is pointed at it with TELEGRAM_API_BASE_URL=http://127.0.0.1:<port>/bot. Tests push updates as
users would (`send_text`, `press`, `send_update`) and read what the bot sent (`wait_for`). It can also answer
the next sendMessage calls with 429 Too Many Requests to test that messages are still delivered.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Tuple

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BOT_USER = {
    "id": 4242, "is_bot": True, "first_name": "Brobygger", "username": "brobygger_test_bot",
    "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False,
}


@dataclass
class Sent:
    method: str
    params: Dict[str, Any]
    at: float = field(default_factory=time.monotonic)  # when the bot's call arrived (load benchmark)

    @property
    def text(self) -> str:
        return self.params.get("text", "")

    @property
    def chat_id(self) -> int:
        return int(self.params.get("chat_id", 0))

    @property
    def buttons(self) -> List[Dict[str, str]]:
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class FakeBotApi:
    port: int = 0
    updates: List[Dict[str, Any]] = field(default_factory=list)
    sent: List[Sent] = field(default_factory=list)
    throttle_next: int = 0
    _ids: Any = field(default_factory=lambda: itertools.count(1000))
    _message_ids: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # messages per chat, and a condition notified on each: waiting users sleep instead of re-scanning `sent`
    # (with hundreds of simulated users, polling the whole list was a load of its own in the load benchmark)
    _by_chat: Dict[int, List[Sent]] = field(default_factory=dict)
    _changed: threading.Condition = field(default_factory=threading.Condition)
    # several bots may poll this one server (the session's bot, and a test module's own): an update of a chat routed
    # to a token (`route`) goes only to that bot, so no other bot takes or drops it; the others go to any bot
    _routes: List[Tuple[range, str]] = field(default_factory=list)

    # --- what users do -----------------------------------------------------------------------------------
    def _user(self, user_id: int, language_code: str | None) -> Dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def route(self, chats: range, token: str) -> None:
        """Updates from these chats go to the bot with this token (a test module's own bot)."""
        with self._lock:
            self._routes.append((chats, token))

    def _token_of(self, update: Dict[str, Any]) -> str | None:
        chat = (update.get("message") or update.get("edited_message") or {}).get("chat", {}).get("id")
        if chat is None:
            chat = (update.get("callback_query") or {}).get("from", {}).get("id")
        return next((token for chats, token in self._routes if chat in chats), None)

    def send_update(self, update: Dict[str, Any]) -> int:
        with self._lock:
            update_id = next(self._ids)
            self.updates.append({"update_id": update_id, "_token": self._token_of(update), **update})
        return update_id

    def message(self, user_id: int, language_code: str | None = None, **content: Any) -> Dict[str, Any]:
        return {
            "message_id": next(self._message_ids), "date": int(time.time()),
            "chat": {"id": user_id, "type": "private"}, "from": self._user(user_id, language_code), **content,
        }

    def send_text(self, user_id: int, text: str, language_code: str | None = None) -> int:
        entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else []
        extra = {"entities": entities} if entities else {}
        return self.send_update({"message": self.message(user_id, language_code, text=text, **extra)})

    def send(self, user_id: int, language_code: str | None = None, **content: Any) -> int:
        return self.send_update({"message": self.message(user_id, language_code, **content)})

    def press(self, user_id: int, data: str, language_code: str | None = None) -> int:
        return self.send_update({"callback_query": {
            "id": str(next(self._ids)), "from": self._user(user_id, language_code), "chat_instance": "1",
            "data": data, "message": self.message(4242, text="(keyboard)") | {"chat": {"id": user_id, "type": "private"}},
        }})

    # --- what the bot did ----------------------------------------------------------------------------------
    def messages_to(self, chat_id: int) -> List[Sent]:
        with self._changed:
            return list(self._by_chat.get(chat_id, ()))

    def wait_for(self, chat_id: int, count: int = 1, timeout: float = 30.0, after: int = 0) -> List[Sent]:
        """Wait until the bot has sent at least `count` messages to `chat_id` after the first `after`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            arrived = self._changed.wait_for(lambda: len(self._by_chat.get(chat_id, ())) - after >= count,
                                             timeout=max(0.0, deadline - time.monotonic()))
        if arrived:
            time.sleep(0.3)  # let a multi-part reply finish
            return self.messages_to(chat_id)[after:]
        got = [m.text[:60] for m in self.messages_to(chat_id)]
        raise TimeoutError(f"bot sent {len(got) - after} of {count} messages to {chat_id} after {after}: {got}")

    def calls(self, method: str) -> List[Sent]:
        return [s for s in self.sent if s.method == method]

    # --- the HTTP side -----------------------------------------------------------------------------------------
    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        if request.headers.get("content-type", "").startswith("application/json"):
            params = await request.json()
        else:
            params = {}
            for key, value in (await request.form()).items():
                try:
                    params[key] = json.loads(value) if isinstance(value, str) and value[:1] in "[{" else value
                except json.JSONDecodeError:
                    params[key] = value
        if method == "getUpdates":
            return JSONResponse({"ok": True, "result": await self._get_updates(params, request.path_params["token"])})
        if method == "sendMessage" and self.throttle_next > 0:
            self.throttle_next -= 1
            return JSONResponse(
                {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                 "parameters": {"retry_after": 1}}, status_code=429,
            )
        sent = Sent(method, params)
        self.sent.append(sent)
        if method == "sendMessage":
            with self._changed:
                self._by_chat.setdefault(sent.chat_id, []).append(sent)
                self._changed.notify_all()
        if method == "getMe":
            return JSONResponse({"ok": True, "result": BOT_USER})
        if method in ("sendMessage", "editMessageText", "copyMessage", "sendVoice", "sendPhoto"):
            chat_id = int(params.get("chat_id", 0))
            result = {"message_id": next(self._message_ids), "date": int(time.time()),
                      "chat": {"id": chat_id, "type": "private"}, "from": BOT_USER, "text": params.get("text", "")}
            return JSONResponse({"ok": True, "result": result if method != "copyMessage" else {"message_id": result["message_id"]}})
        if method in ("deleteWebhook", "setWebhook", "setMyCommands", "answerCallbackQuery", "sendChatAction",
                      "editMessageReplyMarkup", "close", "logOut"):
            return JSONResponse({"ok": True, "result": True})
        return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404)

    async def _get_updates(self, params: Dict[str, Any], token: str) -> List[Dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        while True:
            with self._lock:  # what this bot confirmed (below its offset) is dropped; another bot's routed ones stay
                self.updates = [u for u in self.updates if u["_token"] not in (None, token) or u["update_id"] >= offset]
                pending = [{k: v for k, v in u.items() if k != "_token"} for u in self.updates
                           if u["_token"] in (None, token)]
            if pending or time.monotonic() >= deadline:
                return pending
            await asyncio.sleep(0.005)  # like Telegram, answer a long poll as soon as an update arrives

    # --- lifecycle ----------------------------------------------------------------------------------------------
    def start(self) -> FakeBotApi:
        if not self.port:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                self.port = sock.getsockname()[1]
        app = Starlette(routes=[Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"])])
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", ws="none"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the fake Bot API server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"
