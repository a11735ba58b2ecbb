"""The crisis keyword safety net (content/crisis_keywords.yml): it catches danger written the way people type it,
transliterations included, and never fires on an ordinary message (a false alarm shows crisis numbers to someone
asking about a doctor). Run in Rasa's own interpreter, where the component lives."""
from __future__ import annotations

from tests.rasa_components.rasa_interpreter import run_check

CRISIS = [
    "jouzi bidrabni kel yom w halla2 3am yedrobni",    # Arabizi: my husband is beating me now
    "zawji ra7 yedrabni",                               # Arabizi: my husband is going to beat me
    "shoharam mano mizane komak",                      # Finglish: my husband is beating me, help
    "pedaram dare mara mizane",                        # Finglish: my father is beating me
    "muzh b'yot menya pomogite",                       # Russian translit
    "on bjot menya kazhdyi den",                       # Russian translit
    "tato b'ye mene",                                  # Ukrainian translit
    "mene b'yut vdoma",                                # Ukrainian translit
]
NOT_CRISIS = [
    "jeg er ikke i fare, jeg er bare ked af det",      # Danish: I am not in danger
    "qalbigu wuu i garaacaa markaan warqad helo",      # Somali: my heart pounds when a letter comes
    "zawji bidrus almani",                             # Arabizi: my husband studies German
    "mano mibari doktor?",                             # Finglish: will you take me to the doctor?
    "muzh bolet, nuzhen vrach",                        # Russian translit: husband is ill
]


def test_safety_net_catches_danger_and_stays_quiet_otherwise(tmp_path) -> None:
    found = run_check("check_crisis_keywords.py", {"crisis": CRISIS, "not_crisis": NOT_CRISIS, "scratch": str(tmp_path)})
    assert found["fingerprint_follows_file"], "an edited patterns file must retrain the safety net"
    assert found["training_false_alarms"] == []
    assert found["missed"] == []
    assert found["false_alarms"] == []
