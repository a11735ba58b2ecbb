"""Saving and loading scikit-learn models inside a Rasa model, with skops instead of pickle: loading accepts only
scikit-learn and numpy types, so a tampered model file cannot run code. Used by the classifier and the triage."""
from __future__ import annotations

from pathlib import Path
from typing import Any


def load(path: Path) -> Any:
    """The object saved at `path`; ValueError if the file is missing or holds types other than sklearn/numpy."""
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    allowed = {t for t in untrusted if t.startswith(("sklearn.", "numpy."))}
    if set(untrusted) - allowed:
        raise ValueError(f"unexpected types in {path}: {set(untrusted) - allowed}")
    return sio.load(path, trusted=sorted(allowed))


def dump(obj: Any, path: Path) -> None:
    import skops.io as sio

    sio.dump(obj, path)
