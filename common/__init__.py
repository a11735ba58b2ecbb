"""What the front end (bot/), the web admin and the action server (actions/) share; it imports neither.

content and the content store, i18n and language choice, the user-visible strings (person, assistant, mentor), the
single builder of crisis and emergency replies (safety), the payload contract between the actions and the front end
(contract), the pickers both sides build buttons from, and the product database's models (db)."""
