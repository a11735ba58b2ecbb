"""The Rasa engine speed-ups (rasa_components/engine_speedups.py) change nothing but speed: checked in Rasa's own
interpreter against Rasa's original functions."""
from __future__ import annotations

from tests.rasa_components.rasa_interpreter import run_check


def test_speedups_are_installed_and_behave_like_rasa() -> None:
    findings = run_check("check_engine_speedups.py")
    assert findings["installed"], "importing rasa_components must install the speed-ups"
    assert findings["mismatches"] == []
    assert findings["event_names"] > 20  # every event type Rasa knows, plus unknown names
    # valid responses pass, broken ones are refused, like Rasa does
    assert findings["validation_outcomes"][:3] == ["value"] * 3
    assert set(findings["validation_outcomes"][3:]) == {"ValidationError"}, findings["validation_outcomes"]
