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


def test_speedups_patch_only_the_rasa_versions_they_were_written_for_and_say_so_once() -> None:
    found = run_check("check_engine_speedups_guard.py")
    assert found["rasa"].startswith("3.6."), "the Rasa environment is the one the speed-ups were written for"
    assert found["installed_on_import"]
    installed = [["INFO", f"Rasa {found['rasa']}: engine speed-ups installed (cached action-response validator, "
                          "event class index)"]]  # [level, message]
    assert found["logged_on_import"] == installed
    assert found["install_again"] and found["logged_after_second_install"] == installed  # logged once, not twice
    assert found["restored"]
    # another Rasa: not patched, Rasa's own functions in place, one warning for all three attempts
    assert found["other_versions"] == {"3.7.0": False, "4.0.1": False, "3.5.15": False}
    assert found["untouched_on_other_versions"]
    assert found["logged_on_other_versions"] == [
        ["WARNING", "Rasa 3.7.0: engine speed-ups not installed (written and tested for Rasa 3.6.x only)"]]
    assert found["supported"] == {"3.6.0": True, "3.6.21": True, "3.6.21rc1": True, "3.5.15": False, "3.7.0": False,
                                  "4.0.0": False, "2.8.0": False, "": False, "dev": False}
    assert found["install_on_this_version"] and found["installed_again"]
    assert found["logged_on_reinstall"] == installed
