"""The front end's logic without Telegram, split by concept; `FrontEnd` (routing) is the entry point.

- routing.py   who sent it (mentor or person) and where it goes: commands, buttons, the inbox, the hand-off
- commands.py  the person's commands (/start, /menu, /mydata, ...)
- people.py    identity (pseudonyms), consent, language, pickers
- inbox.py     the durable inbox: a message is stored before it is processed and answered exactly once
- bridge.py    the Rasa bridge: metadata, replies, signals, pause/resume
- privacy.py   erase (/delete) and retention
- guard.py     per-person flood limit and per-person order (bounded)
- database.py  blocking database work off the event loop
"""
from bot.frontend.routing import FrontEnd

__all__ = ["FrontEnd"]
