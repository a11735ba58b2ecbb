"""Custom actions of the Brobygger assistant, served by `python -m rasa_sdk --actions actions`.

rasa-sdk imports every submodule of this package and registers each concrete `Action` subclass.
"""
import os

from common import content_store

# answers and translations that staff publish in the web admin are live within seconds (common.content_store)
content_store.configure(os.environ.get("DATABASE_URL"))
