"""Brobygger: a multilingual Telegram assistant for health-care navigation in Denmark and Germany."""
