"""Crisis triage: for a message that is a crisis, how urgent it is, and what the classifier alone made of it.

Runs last in the NLU pipeline (after the keyword safety net). For every message whose intent is `crisis` it adds
`triage` to the parse result (so the actions, `/model/parse` and the front end all see it):

- `level`: `imminent` (a plan or means at hand, an act in progress, an overdose or poison taken, violence now) or
  `thoughts` (thoughts of suicide or wishes to die, no act now). A logistic regression over the e5 sentence
  embeddings, trained on the crisis examples whose intent block carries `metadata: {level: ...}` (written per
  language in data/nlu/<lang>/crisis_triage.yml). Doubt leans to `imminent` (`imminent_threshold`): a person in
  danger who is asked a question first loses time; a person with thoughts who gets an urgent mentor loses nothing.
- `net_only`: true when only the keyword net saw a crisis (the classifier's own intent was another one, given as
  `model_intent`): the reply then gives the numbers, answers the health question, and asks the safety question.

Why a separate component and not two crisis intents: the intent contract keeps `crisis` as one intent.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, METADATA, METADATA_INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.linear_model import LogisticRegression

from rasa_components import trusted_skops

logger = logging.getLogger(__name__)

CRISIS = "crisis"
TRIAGE = "triage"
NET = "crisis_net"  # set by CrisisKeywordSafetyNet when its patterns turned the message into a crisis
LEVELS = ("imminent", "thoughts")
MODEL_FILE = "triage.skops"


def level_of(message: Message) -> str | None:
    """The level an intent block's metadata gives a training example."""
    metadata = message.get(METADATA) or {}
    level = (metadata.get(METADATA_INTENT) or {}).get("level") if isinstance(metadata, dict) else None
    return level if level in LEVELS else None


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CrisisTriage(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"imminent_threshold": 0.4, "C": 1.0, "random_state": 42}

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 model: LogisticRegression | None = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> CrisisTriage:
        return cls(config, model_storage, resource)

    @staticmethod
    def _features(messages: List[Message]) -> np.ndarray:
        rows = []
        for message in messages:
            _, dense = message.get_dense_features(TEXT)
            rows.append(np.asarray(dense.features).reshape(-1) if dense is not None else None)
        width = next((len(row) for row in rows if row is not None), 0)
        return np.vstack([row if row is not None else np.zeros(width) for row in rows])

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(INTENT) == CRISIS and level_of(m) and m.get(TEXT)]
        levels = {level_of(m) for m in examples}
        if levels != set(LEVELS):
            logger.warning("CrisisTriage: needs crisis examples of both levels (metadata level); found %s", levels)
            return self._resource
        self._model = LogisticRegression(C=self._config["C"], class_weight="balanced", max_iter=2000,
                                         random_state=self._config["random_state"])
        self._model.fit(self._features(examples), np.array([level_of(m) for m in examples]))
        with self._model_storage.write_to(self._resource) as directory:
            trusted_skops.dump(self._model, directory / MODEL_FILE)
        return self._resource

    @classmethod
    def load(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> CrisisTriage:
        try:
            with model_storage.read_from(resource) as directory:
                model = trusted_skops.load(directory / MODEL_FILE)
        except ValueError as error:
            logger.warning("CrisisTriage not loaded: %s", error)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, model)

    def process(self, messages: List[Message]) -> List[Message]:
        crises = [m for m in messages if (m.get(INTENT) or {}).get("name") == CRISIS and isinstance(m.get(TEXT), str)
                  and not m.get(TEXT).startswith("/")]
        if not crises:
            return messages
        imminent = self._imminent_probability(crises)
        for message, probability in zip(crises, imminent):
            net = message.get(NET) or {}
            model_intent = net.get("model_intent") if net else CRISIS
            level = "imminent" if probability >= self._config["imminent_threshold"] else "thoughts"
            message.set(TRIAGE, {
                "level": level, "imminent_probability": round(float(probability), 3),
                "net_only": bool(net) and model_intent != CRISIS, "model_intent": model_intent,
            }, add_to_output=True)
        return messages

    def _imminent_probability(self, messages: List[Message]) -> List[float]:
        if self._model is None:  # untrained (no level data): every crisis is treated as imminent, as before triage
            return [1.0] * len(messages)
        column = list(self._model.classes_).index("imminent")
        return [float(p) for p in self._model.predict_proba(self._features(messages))[:, column]]

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
