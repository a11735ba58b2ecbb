"""Custom actions of the Brobygger assistant, served by `python -m rasa_sdk --actions actions`.

rasa-sdk imports every submodule of this package and registers each concrete `Action` subclass.
"""
import os

from common import content_store, retrieval

# answers and translations that staff publish in the web admin are live within seconds (common.content_store)
content_store.configure(os.environ.get("DATABASE_URL"))
# the knowledge base's retrieval index, built before the server answers (the first time it embeds every example
# question, about a minute on 2 cores; later starts load it from var/cache in a second)
if os.environ.get("KNOWLEDGE_WARM_UP", "1") == "1":
    retrieval.index()
