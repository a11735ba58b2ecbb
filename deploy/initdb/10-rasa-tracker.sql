-- Rasa's tracker store lives in its own database next to the product database.
CREATE DATABASE rasa_tracker OWNER brobygger;
