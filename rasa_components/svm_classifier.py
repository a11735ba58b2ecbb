"""Intent classifier: a linear SVM over all sentence features, with calibrated probabilities.

Why: on our held-out set (tests/nlu_heldout) a calibrated LinearSVC over tf-idf n-grams plus e5 sentence
embeddings reached ~95 % accuracy and trains in ~10 s, where DIET took ~30 s per epoch and LogisticRegression
gave 87 % (see docs/nlu.md). Calibrated probabilities (sigmoid, 3-fold) give FallbackClassifier meaningful
confidences, so gibberish falls back instead of being forced into an intent.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List

import numpy as np
import scipy.sparse
from rasa.engine.graph import GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import LinearSVC

from rasa_components import trusted_skops

logger = logging.getLogger(__name__)

MODEL_FILE = "classifier.skops"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class CalibratedSVMIntentClassifier(IntentClassifier, GraphComponent):
    """LinearSVC on [sparse sentence features, dense_weight * dense sentence features]."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"C": 1.0, "dense_weight": 1.5, "calibration_folds": 3, "ranking_length": 10, "random_state": 42}

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        classifier: CalibratedClassifierCV | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._classifier = classifier

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> CalibratedSVMIntentClassifier:
        return cls(config, model_storage, resource)

    def _features(self, messages: List[Message]) -> scipy.sparse.csr_matrix:
        rows = []
        for message in messages:
            _, sparse = message.get_sparse_features(TEXT)
            _, dense = message.get_dense_features(TEXT)
            parts = []
            if sparse is not None:
                parts.append(scipy.sparse.csr_matrix(sparse.features))
            if dense is not None:
                parts.append(scipy.sparse.csr_matrix(np.asarray(dense.features) * self._config["dense_weight"]))
            rows.append(scipy.sparse.hstack(parts).tocsr())
        return scipy.sparse.vstack(rows).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [m for m in training_data.intent_examples if m.get(TEXT)]
        if not examples:
            return self._resource
        X = self._features(examples)
        y = np.array([m.get(INTENT) for m in examples])
        self._classifier = CalibratedClassifierCV(
            LinearSVC(C=self._config["C"], random_state=self._config["random_state"]),
            cv=self._config["calibration_folds"],
            method="sigmoid",
        )
        self._classifier.fit(X, y)
        self.persist()
        return self._resource

    def process(self, messages: List[Message]) -> List[Message]:
        todo = [m for m in messages if m.get(TEXT) and self._classifier is not None]
        if not todo:
            return messages
        probabilities = self._classifier.predict_proba(self._features(todo))
        names = self._classifier.classes_
        for message, row in zip(todo, probabilities):
            order = np.argsort(-row)[: self._config["ranking_length"]]
            ranking = [{"name": str(names[i]), "confidence": float(row[i])} for i in order]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def persist(self) -> None:
        with self._model_storage.write_to(self._resource) as directory:
            trusted_skops.dump(self._classifier, directory / MODEL_FILE)

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs: Any) -> CalibratedSVMIntentClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                classifier = trusted_skops.load(directory / MODEL_FILE)
        except ValueError as error:
            logger.warning("CalibratedSVMIntentClassifier not loaded: %s", error)
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, classifier)
