"""The bare Flask "hello" app that bench/portal_load measures next to the portal, under the same
gunicorn settings, so the portal's figures can be compared between machines as a ratio."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
