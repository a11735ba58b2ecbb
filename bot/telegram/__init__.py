"""Telegram front end (python-telegram-bot 22): thin handlers over bot.frontend."""
