"""Custom actions of the Brobygger assistant, served by `python -m rasa_sdk --actions actions`.

rasa-sdk imports every submodule of this package and registers each concrete `Action` subclass.
"""
