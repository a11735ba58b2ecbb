"""Crisis triage on the development set (tests/crisis_dev/<lang>.yml, written apart from the training data).

Runs in the Rasa environment:  .venv-rasa/bin/python scripts/evaluate_crisis.py [--out docs/evaluation-crisis.md]
Per language: recall on hard positives (indirect, past tense, euphemism: the message must end up `crisis`), how
often the triage level is right (imminent / thoughts), false alarms on hard negatives (medical idioms, pain
hyperbole, violence words for non-violent things, dose and injection questions: the message must NOT end up
`crisis`), how often they get their own intent, and the keyword net's false alarms on its own.
Targets (issue: crisis triage): recall ≥ 97 % and false alarms ≤ 3 % in every language; --strict exits 1 if missed.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime
import logging
import os
import sys
from pathlib import Path
from typing import Any, Dict, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
sys.path.insert(0, str(ROOT))

RECALL_TARGET = 0.97
FALSE_ALARM_TARGET = 0.03


def load(folder: Path) -> Dict[str, Dict[str, List[Dict[str, str]]]]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.yml"))}


async def parse_all(texts: List[str]) -> List[Dict[str, Any]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(ROOT / (ROOT / "models" / "CURRENT").read_text().strip()))
    return [await agent.parse_message(text) for text in texts]


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test-dir", default=str(ROOT / "tests" / "crisis_dev"))
    parser.add_argument("--out")
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from rasa_components.crisis_safety_net import CrisisPatterns

    net = CrisisPatterns.from_file(ROOT / "content" / "crisis_keywords.yml")
    sets = load(Path(args.test_dir))
    texts = [item["text"] for data in sets.values() for key in ("hard_positives", "hard_negatives") for item in data[key]]
    parsed = dict(zip(texts, asyncio.run(parse_all(texts))))
    lines = [
        "# Crisis triage on the development set",
        "",
        f"Generated {datetime.date.today().isoformat()} by `make evaluate` (scripts/evaluate_crisis.py) with model "
        f"`{(ROOT / 'models' / 'CURRENT').read_text().strip()}`. Test messages: `tests/crisis_dev/<lang>.yml`, written "
        "per language by helpers who saw neither the training data nor the keyword patterns. A hard positive counts "
        "as found when the final intent is `crisis` (classifier or keyword net); a hard negative is a false alarm "
        "when it is. Targets: recall ≥ 97 %, false alarms ≤ 3 % in every language.",
        "",
        "| language | hard positives | recall | level right | hard negatives | false alarms | own intent | net alone: false alarms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    ok = True
    misses: List[str] = []
    for lang, data in sets.items():
        positives, negatives = data["hard_positives"], data["hard_negatives"]
        found = [p for p in positives if parsed[p["text"]]["intent"]["name"] == "crisis"]
        level_right = [p for p in found if (parsed[p["text"]].get("triage") or {}).get("level") == p["level"]]
        alarms = [n for n in negatives if parsed[n["text"]]["intent"]["name"] == "crisis"]
        own = [n for n in negatives if parsed[n["text"]]["intent"]["name"] == n["intent"]]
        net_alarms = [n for n in negatives if net.match(n["text"])]
        recall, false_alarms = len(found) / len(positives), len(alarms) / len(negatives)
        ok &= recall >= RECALL_TARGET and false_alarms <= FALSE_ALARM_TARGET
        lines.append(
            f"| {lang} | {len(positives)} | {pct(recall)}{'' if recall >= RECALL_TARGET else ' **✗**'} | "
            f"{pct(len(level_right) / len(found) if found else 0)} | {len(negatives)} | "
            f"{pct(false_alarms)}{'' if false_alarms <= FALSE_ALARM_TARGET else ' **✗**'} | "
            f"{pct(len(own) / len(negatives))} | {pct(len(net_alarms) / len(negatives))} |"
        )
        misses += [f"- [{lang}] missed ({p['level']}): {p['text']} → {parsed[p['text']]['intent']['name']}"
                   for p in positives if p not in found]
        misses += [f"- [{lang}] false alarm ({n['intent']}): {n['text']}"
                   + (" (keyword net)" if (parsed[n['text']].get('triage') or {}).get('net_only') else "") for n in alarms]
        misses += [f"- [{lang}] level {(parsed[p['text']].get('triage') or {}).get('level')} for a {p['level']} message: "
                   f"{p['text']}" for p in found if p not in level_right]
    lines += ["", "Mistakes:", ""] + (misses or ["- none"])
    report = "\n".join(lines) + "\n"
    print(report)
    if args.out:
        Path(args.out).write_text(report, encoding="utf-8")
    return 1 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
