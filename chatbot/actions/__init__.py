"""Custom actions for the Banenafspraak assistant (run with `rasa run actions`)."""
