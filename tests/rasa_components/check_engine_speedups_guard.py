"""Run by test_engine_speedups.py in Rasa's own interpreter (.venv-rasa): the speed-ups patch Rasa only on the
versions they were written for, log once when they do, and on any other version leave Rasa untouched and warn once.
Prints one JSON line of findings."""
import json
import logging
import sys

records = []


class Collect(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        records.append((record.levelname, record.getMessage()))


logger = logging.getLogger("rasa_components.engine_speedups")  # before the import: it logs while being imported
logger.addHandler(Collect())
logger.setLevel(logging.INFO)

import rasa  # noqa: E402
from rasa.core.actions.action import RemoteAction  # noqa: E402
from rasa.shared.core.events import Event  # noqa: E402

from rasa_components import engine_speedups  # noqa: E402  importing the package installs them

findings = {"rasa": rasa.__version__, "installed_on_import": engine_speedups.installed(), "logged_on_import": list(records)}
findings["install_again"] = engine_speedups.install()
findings["logged_after_second_install"] = list(records)


def untouched() -> bool:
    return (RemoteAction._validate_action_result is engine_speedups.ORIGINAL_VALIDATE_ACTION_RESULT
            and Event.resolve_by_type is engine_speedups.ORIGINAL_RESOLVE_BY_TYPE)


# back to Rasa's own functions, then an install on versions the speed-ups were not written for
RemoteAction._validate_action_result = engine_speedups.ORIGINAL_VALIDATE_ACTION_RESULT
Event.resolve_by_type = staticmethod(engine_speedups.ORIGINAL_RESOLVE_BY_TYPE)
findings["restored"] = untouched()
del records[:]
findings["other_versions"] = {version: engine_speedups.install(version) for version in ("3.7.0", "4.0.1", "3.5.15")}
findings["untouched_on_other_versions"] = untouched()
findings["logged_on_other_versions"] = list(records)
findings["supported"] = {v: engine_speedups.supported(v) for v in ("3.6.0", "3.6.21", "3.6.21rc1", "3.5.15", "3.7.0",
                                                                    "4.0.0", "2.8.0", "", "dev")}
del records[:]
findings["install_on_this_version"] = engine_speedups.install()
findings["installed_again"] = engine_speedups.installed()
findings["logged_on_reinstall"] = list(records)
json.dump(findings, sys.stdout)
