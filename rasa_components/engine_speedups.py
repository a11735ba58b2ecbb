"""Two hot spots of the Rasa 3.6 server, made cheap without changing what they do.

py-spy on the running server (docs/load.md, "Where Rasa spends its time") found most of Rasa's CPU per message in two
places that redo constant work on every call:

1. Every action-server response is checked with `jsonschema.validate(result, schema)`, which first checks the schema
   itself against the JSON-Schema meta-schema and builds a new validator (~60 % of the CPU per message). Here: the
   same schema and the same errors (`best_match`, with Rasa's hint appended), with one validator built once.
2. Every stored event read back from the tracker store looks its class up by walking all `Event` subclasses with
   `inspect.isabstract` (~13 %). Here: a dictionary of the same walk, in the same order (first match wins), rebuilt
   once when a name is missing, and Rasa's own lookup as the last word (same default and error).

Installed when the Rasa engine imports this package (`rasa_components/__init__.py`), and only on the Rasa versions
they were written and tested for (`SUPPORTED_RASA`, 3.6.x): on any other version Rasa is left untouched and a
warning says so, once. Tested in tests/rasa_components/test_engine_speedups.py against Rasa's originals.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Dict, Tuple, Type

import jsonschema
import rasa
from jsonschema.exceptions import best_match
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.events import Event
from rasa.shared.utils.common import all_subclasses

logger = logging.getLogger(__name__)

SUPPORTED_RASA: Tuple[int, int] = (3, 6)  # major, minor: the internals patched here were read and tested on 3.6.x
ORIGINAL_RESOLVE_BY_TYPE = Event.resolve_by_type
ORIGINAL_VALIDATE_ACTION_RESULT = RemoteAction._validate_action_result
_warned = False


@lru_cache(maxsize=1)
def response_validator() -> Any:
    """The validator for `RemoteAction.action_response_format_spec()`, its schema checked once."""
    schema = RemoteAction.action_response_format_spec()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    """Drop-in for `RemoteAction._validate_action_result`: raises the same `ValidationError`."""
    error = best_match(response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


_event_classes: Dict[str, Type[Event]] = {}


def _index_event_classes() -> None:
    _event_classes.clear()
    for cls in all_subclasses(Event):
        _event_classes.setdefault(cls.type_name, cls)  # Rasa returns the first match of this same walk


def resolve_by_type(type_name: str, default: Type[Event] | None = None) -> Type[Event] | None:
    """Drop-in for `Event.resolve_by_type`."""
    if type_name not in _event_classes:
        _index_event_classes()  # an event class imported since the last index
    if type_name in _event_classes:
        return _event_classes[type_name]
    return ORIGINAL_RESOLVE_BY_TYPE(type_name, default)  # "topic", the default, or Rasa's own error


def supported(version: str) -> bool:
    """Whether `version` (e.g. "3.6.21") is a Rasa release these speed-ups were written for."""
    try:
        return tuple(int(part) for part in version.split(".")[:2]) == SUPPORTED_RASA
    except ValueError:
        return False


def installed() -> bool:
    return RemoteAction._validate_action_result is validate_action_result and Event.resolve_by_type is resolve_by_type


def install(version: str | None = None) -> bool:
    """Patch Rasa (once) when its version (`rasa.__version__` unless given) is supported; otherwise leave it untouched
    and warn, once per process. Returns whether the speed-ups are in place."""
    global _warned
    version = rasa.__version__ if version is None else version
    if not supported(version):
        if not _warned:
            _warned = True
            logger.warning("Rasa %s: engine speed-ups not installed (written and tested for Rasa %d.%d.x only)",
                           version, *SUPPORTED_RASA)
        return False
    if installed():
        return True
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]
    logger.info("Rasa %s: engine speed-ups installed (cached action-response validator, event class index)", version)
    return True
