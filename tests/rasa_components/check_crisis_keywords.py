"""Run by test_crisis_keywords.py in Rasa's interpreter: the crisis keyword safety net on every non-crisis
training example (must never fire) and on given phrasings (stdin, JSON: {"crisis": [...], "not_crisis": [...]})."""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate_nlu import load_training_set  # noqa: E402

from rasa_components.crisis_safety_net import CrisisKeywordSafetyNet, CrisisPatterns  # noqa: E402

patterns = CrisisPatterns.from_file(ROOT / "content" / "crisis_keywords.yml")
cases = json.load(sys.stdin)
edited = Path(cases["scratch"]) / "edited.yml"
edited.write_text((ROOT / "content" / "crisis_keywords.yml").read_text(encoding="utf-8") + "en:\n  - 'x'\n", encoding="utf-8")
json.dump({
    # Rasa reuses a trained component while its fingerprint is unchanged: an edited patterns file must change it
    "fingerprint_follows_file": CrisisKeywordSafetyNet.fingerprint_addon({})
    != CrisisKeywordSafetyNet.fingerprint_addon({"patterns_file": str(edited)}),
    "training_false_alarms": [text for _, intent, text in load_training_set(ROOT / "data" / "nlu")
                              if intent != "crisis" and patterns.match(text)],
    "missed": [text for text in cases["crisis"] if not patterns.match(text)],
    "false_alarms": [text for text in cases["not_crisis"] if patterns.match(text)],
}, sys.stdout)
