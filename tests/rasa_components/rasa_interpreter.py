"""Run a check script in Rasa's own interpreter (.venv-rasa): the custom components import Rasa, which the
app environment that runs pytest does not have. The script prints its findings as one JSON line."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"


def run_check(script: str, payload: Any = None) -> Any:
    """Run tests/rasa_components/<script> with `payload` as JSON on stdin; its last stdout line, parsed."""
    assert RASA_PYTHON.exists(), "run `make setup` first: the Rasa environment is missing"
    result = subprocess.run(
        [str(RASA_PYTHON), str(Path(__file__).with_name(script))],
        input=json.dumps(payload), cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
