"""Build rasa-sdk trackers the way the Rasa server sends them to the action server."""
from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker


def make_tracker(
    text: str = "",
    intent: str = "greet",
    slots: Dict[str, Any] | None = None,
    entities: List[Dict[str, Any]] | None = None,
    metadata: Dict[str, Any] | None = None,
    sender_id: str = "test-user",
    triage: Dict[str, Any] | None = None,
) -> Tracker:
    latest = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.99},
        "intent_ranking": [{"name": intent, "confidence": 0.99}],
        "entities": entities or [],
        "metadata": metadata or {},
        **({"triage": triage} if triage else {}),  # added by rasa_components.crisis_triage to a crisis
    }
    return Tracker(
        sender_id=sender_id,
        slots={"misses": 0.0, **(slots or {})},
        latest_message=latest,
        events=[{"event": "user", "text": text, "parse_data": latest}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def slot_events(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    """The slots an action's events set, last value wins."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
