"""Custom NLU components of the Banenafspraak assistant (loaded by Rasa from `chatbot/`)."""
