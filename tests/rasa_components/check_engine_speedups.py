"""Run by test_engine_speedups.py in Rasa's own interpreter (.venv-rasa): the speed-ups must behave exactly like
Rasa's originals. Prints one JSON line of findings."""
import json
import sys

from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

from rasa_components import engine_speedups  # importing the package installs them

ORIGINAL_VALIDATE = engine_speedups.ORIGINAL_VALIDATE_ACTION_RESULT
ORIGINAL_RESOLVE = engine_speedups.ORIGINAL_RESOLVE_BY_TYPE
findings = {
    "installed": RemoteAction._validate_action_result is engine_speedups.validate_action_result
    and Event.resolve_by_type is engine_speedups.resolve_by_type,
    "mismatches": [],
}


def outcome(function, *args):
    try:
        return ("value", function(*args))
    except (ValidationError, ValueError) as error:
        return (type(error).__name__, str(getattr(error, "message", error)))


names = sorted({cls.type_name for cls in all_subclasses(Event)}) + ["topic", "no_such_event", ""]
for name in names:
    for default in (None, Event):
        if outcome(Event.resolve_by_type, name, default) != outcome(ORIGINAL_RESOLVE, name, default):
            findings["mismatches"].append(f"resolve_by_type({name!r}, {default})")
findings["event_names"] = len(names)

responses = [
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "language", "value": "ar"}], "responses": [{"text": "مرحبا"}]},
    {"events": [{"event": "action", "name": "action_listen", "timestamp": 1.0}]},
    {"events": {"event": "slot"}},                 # events not a list
    {"events": [{"name": "no event key"}]},        # an event without its type
    {"events": [{"event": "slot", "name": 3}]},    # wrong type inside an event
    {"responses": ["not an object"]},
    {"responses": [{"text": "ok"}], "events": [{"event": "bot", "text": None, "timestamp": "soon"}]},
]
action = RemoteAction("action_check", None)
results = []
for response in responses:
    mine, theirs = outcome(lambda r: action._validate_action_result(r), response), outcome(
        lambda r: ORIGINAL_VALIDATE(action, r), response)
    results.append(mine[0])
    if mine != theirs:
        findings["mismatches"].append(f"validate {json.dumps(response)}: {mine} != {theirs}")
findings["validation_outcomes"] = results
json.dump(findings, sys.stdout)
