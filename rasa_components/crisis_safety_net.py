"""Crisis safety net: per-language patterns that turn a message into `crisis` even when the classifier is unsure.

Why: a missed crisis is the worst error this assistant can make, so recall matters more than anything else
there. Patterns (content/crisis_keywords.yml, maintained by program staff with native speakers) are precise
phrases - "kill myself", "ich will nicht mehr leben", "انتحر" - not single words, and their false-alarm rate
on non-crisis messages is measured by scripts/evaluate_nlu.py. The patterns are copied into the model at
training time, so a model always carries the list it was evaluated with.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path
from typing import Any, Dict, List, Pattern

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_components.normalizing_tokenizer import normalise

logger = logging.getLogger(__name__)

CRISIS = "crisis"
NET = "crisis_net"  # added to the parse result when the patterns made the message a crisis (read by CrisisTriage)
PATTERNS_FILE = "patterns.json"


class CrisisPatterns:
    """Compiled patterns of all languages; `match` returns the language whose pattern fired."""

    def __init__(self, by_language: Dict[str, List[str]]) -> None:
        self.source = by_language
        self._compiled: List[tuple[str, Pattern[str]]] = [
            (lang, re.compile(pattern)) for lang, patterns in by_language.items() for pattern in patterns or []
        ]

    @classmethod
    def from_file(cls, path: Path) -> CrisisPatterns:
        return cls(yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {})

    def match(self, text: str) -> str | None:
        folded = normalise(text or "")
        for lang, pattern in self._compiled:
            if pattern.search(folded):
                return lang
        return None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CrisisKeywordSafetyNet(GraphComponent):
    """Runs after the intent classifier and before FallbackClassifier."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        # min_safety_confidence: an unclear message whose best real intent is crisis/emergency with at least this
        # confidence is treated as that intent instead of "please rephrase"
        return {"patterns_file": "content/crisis_keywords.yml", "confidence": 0.99, "min_safety_confidence": 0.2}

    SAFETY_INTENTS = ("crisis", "emergency")

    def __init__(self, config, model_storage: ModelStorage, resource: Resource, patterns: CrisisPatterns | None = None):
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._patterns = patterns or CrisisPatterns({})

    @classmethod
    def create(cls, config, model_storage, resource, execution_context: ExecutionContext) -> CrisisKeywordSafetyNet:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> str | None:
        """The patterns file is not a graph input: without this, Rasa's training cache would keep serving the
        previous patterns after an edit of content/crisis_keywords.yml (seen: a retrain that did not pick it up)."""
        path = Path({**cls.get_default_config(), **config}["patterns_file"])
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None

    def train(self, training_data: TrainingData) -> Resource:
        self._patterns = CrisisPatterns.from_file(Path(self._config["patterns_file"]))
        with self._model_storage.write_to(self._resource) as directory:
            (directory / PATTERNS_FILE).write_text(json.dumps(self._patterns.source, ensure_ascii=False), "utf-8")
        return self._resource

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs: Any) -> CrisisKeywordSafetyNet:
        try:
            with model_storage.read_from(resource) as directory:
                patterns = CrisisPatterns(json.loads((directory / PATTERNS_FILE).read_text("utf-8")))
        except ValueError:
            logger.warning("CrisisKeywordSafetyNet: no patterns in the model")
            patterns = None
        return cls(config, model_storage, resource, patterns)

    def _unfallback_safety(self, message: Message) -> None:
        """nlu_fallback, but the best real intent is crisis/emergency: take that one."""
        if (message.get(INTENT) or {}).get("name") != "nlu_fallback":
            return
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != "nlu_fallback"]
        if ranking and ranking[0]["name"] in self.SAFETY_INTENTS and ranking[0]["confidence"] >= self._config["min_safety_confidence"]:
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.startswith("/"):
                continue
            if not self._patterns.match(text):
                self._unfallback_safety(message)
                continue
            before = message.get(INTENT) or {}
            confidence = max(self._config["confidence"], before.get("confidence") or 0.0)
            top = {"name": CRISIS, "confidence": confidence}
            # what the classifier made of it, for the triage: "only the net saw a crisis" is answered differently
            ranking_before = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != "nlu_fallback"]
            model_intent = ranking_before[0]["name"] if ranking_before else before.get("name")
            message.set(NET, {"model_intent": model_intent}, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != CRISIS]
            message.set(INTENT, top, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [top] + ranking, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
