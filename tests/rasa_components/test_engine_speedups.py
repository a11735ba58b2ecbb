"""The Rasa engine speed-ups (rasa_components/engine_speedups.py) change nothing but speed: checked in Rasa's own
interpreter against Rasa's original functions."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


def test_speedups_are_installed_and_behave_like_rasa() -> None:
    assert RASA_PYTHON.exists(), "run `make setup` first: the Rasa environment is missing"
    result = subprocess.run(
        [str(RASA_PYTHON), str(Path(__file__).with_name("check_engine_speedups.py"))],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    findings = json.loads(result.stdout.strip().splitlines()[-1])
    assert findings["installed"], "importing rasa_components must install the speed-ups"
    assert findings["mismatches"] == []
    assert findings["event_names"] > 20  # every event type Rasa knows, plus unknown names
    # valid responses pass, broken ones are refused, like Rasa does
    assert findings["validation_outcomes"][:3] == ["value"] * 3
    assert set(findings["validation_outcomes"][3:]) == {"ValidationError"}, findings["validation_outcomes"]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(test_speedups_are_installed_and_behave_like_rasa())
