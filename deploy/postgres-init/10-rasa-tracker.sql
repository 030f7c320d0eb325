-- Rasa's SQL tracker store lives in its own database on the same server.
CREATE DATABASE rasa_tracker OWNER portal;
