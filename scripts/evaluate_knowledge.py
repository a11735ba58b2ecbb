"""Knowledge-base retrieval on its development set (tests/knowledge_dev/<COUNTRY>.yml) -> docs/evaluation-knowledge.md.

The set was written by a helper who saw the entries' answers but not their example questions. Per language and
country it reports how often retrieval answers with the right entry, how often the right entry is among the
buttons offered when two are close, how often a question no entry answers gets none, and whether short
follow-ups are answered in the context of the last answer (actions.knowledge.pick, as the action server runs it).

    .venv-app/bin/python scripts/evaluate_knowledge.py --out docs/evaluation-knowledge.md
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasa_sdk import Tracker  # noqa: E402
from rasa_sdk.executor import CollectingDispatcher  # noqa: E402

from actions import knowledge as kb  # noqa: E402
from actions.base import Turn  # noqa: E402
from common import knowledge, retrieval  # noqa: E402


def turn_for(text: str, lang: str, country: str, slots: Dict[str, Any] | None = None) -> Turn:
    latest = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.3}, "entities": [], "metadata": {}}
    tracker = Tracker("eval", {"language": lang, "country": country, **(slots or {})}, latest, [], False, None, {},
                      "action_listen")
    return Turn(tracker=tracker, dispatcher=CollectingDispatcher(), lang=lang, country=country, region=None)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="docs/evaluation-knowledge.md")
    parser.add_argument("--dev-dir", default=str(ROOT / "tests" / "knowledge_dev"))
    args = parser.parse_args()

    started = time.monotonic()
    index = retrieval.index()
    built = time.monotonic() - started
    stats: Dict[str, Dict[str, List[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    mistakes: List[str] = []
    timings: List[float] = []
    for path in sorted(Path(args.dev_dir).glob("*.yml")):
        country = path.stem
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in data["questions"]:
            lang, text, wanted = item["lang"], item["text"], item["entry"]
            t0 = time.monotonic()
            found = index.search(text, country, min_score=retrieval.MIN_SCORE)  # as with the classifier's topic
            timings.append(time.monotonic() - t0)
            right = found.answer is not None and found.answer.id == wanted
            offered = right or wanted in [m.entry.id for m in found.close]
            for key in (lang, "all"):
                stats[key][f"{country} right"][0] += right
                stats[key][f"{country} right"][1] += 1
                stats[key][f"{country} offered"][0] += offered
                stats[key][f"{country} offered"][1] += 1
            if not right:
                got = found.answer.id if found.answer else ("buttons: " + ", ".join(m.entry.id for m in found.close)
                                                            if found.close else "leaflet")
                mistakes.append(f"[{country} {lang}] {text} → {got} (wanted {wanted})")
        for item in data.get("out_of_scope") or []:
            found = index.search(item["text"], country)  # no topic: they reach retrieval only through the fallback
            none = found.best is None
            for key in (item["lang"], "all"):
                stats[key][f"{country} none"][0] += none
                stats[key][f"{country} none"][1] += 1
            if not none:
                mistakes.append(f"[{country} {item['lang']}] out of scope: {item['text']} → {found.best.entry.id}")
        for item in data.get("followups") or []:
            lang = item["lang"]
            first = kb.pick(turn_for(item["first"], lang, country), item["first"], None).entry
            target = knowledge.entry(item["entry"])
            follow_country = target.country if target else country
            turn = turn_for(item["then"], lang, follow_country,
                            {"last_entry": item["first_entry"], "about_child": False})
            picked = kb.pick(turn, item["then"], None).entry
            ok = picked is not None and picked.id == item["entry"] or (
                picked is not None and picked.id == item["first_entry"] == item["entry"])
            for key in (lang, "all"):
                stats[key][f"{country} follow-up"][0] += ok
                stats[key][f"{country} follow-up"][1] += 1
            if not ok:
                mistakes.append(f"[{country} {lang}] follow-up {item['then']!r} after {item['first_entry']}"
                                f" (first found: {first.id if first else None}) → {picked.id if picked else None}"
                                f" (wanted {item['entry']})")

    def cell(key: str, column: str) -> str:
        hit, total = stats[key].get(column, [0, 0])
        return f"{100 * hit / total:.0f} % ({hit}/{total})" if total else "–"

    columns = ["DK right", "DE right", "DK offered", "DE offered", "DK none", "DE none", "DK follow-up", "DE follow-up"]
    langs = sorted(k for k in stats if k != "all") + ["all"]
    lines = [
        "# Knowledge-base retrieval on the development set",
        "",
        f"Generated {dt.date.today().isoformat()} by `make evaluate` (scripts/evaluate_knowledge.py) over "
        f"{len(knowledge.entries())} entries. Questions: `tests/knowledge_dev/<COUNTRY>.yml`, written per language "
        "by a helper who saw the entries' answers but not their example questions. Settings: "
        f"MIN_SCORE {retrieval.MIN_SCORE}, MARGIN {retrieval.MARGIN}, TOPIC_BONUS {retrieval.TOPIC_BONUS} "
        "(no topic is passed here: the classifier's topic would only add its bonus).",
        "",
        "- **right**: the entry answered is the one the question asks (target ≥ 90 %).",
        "- **offered**: right, or the right entry is among the buttons when two entries were close.",
        "- **none**: a question no entry answers gets no entry (such questions reach retrieval only when the classifier "
        f"placed them in no topic, so the stricter MIN_SCORE_UNPLACED {retrieval.MIN_SCORE_UNPLACED} applies).",
        "- **follow-up**: a short follow-up after an answer is answered in its context (actions.knowledge.pick).",
        "",
        "| language | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for lang in langs:
        lines.append(f"| {'**all**' if lang == 'all' else lang} | " + " | ".join(cell(lang, c) for c in columns) + " |")
    timings.sort()
    p95 = timings[int(0.95 * (len(timings) - 1))] * 1000 if timings else 0.0
    lines += ["", f"Index built (or loaded from var/cache) in {built:.1f} s; one search p95 {p95:.1f} ms.", "",
              "Mistakes:", ""] + [f"- {m}" for m in mistakes]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:len(langs) + 14]))


if __name__ == "__main__":
    main()
