"""'All my data': the readable page speaks the worker's language, the JSON file has everything."""

from __future__ import annotations

import json

from portal.blueprints.privacy.fields import FIELD_LABELS
from portal.services.personal_data import SECRET_COLUMNS, SECTION_MODELS
from tests.conftest import OTHER_WORKER, WORKER, user_by_email

# Keys the download adds to the stored columns of a section.
ADDED_KEYS = {"contact_person", "moment_id"}


def test_every_field_of_the_download_has_a_label():
    """A new column on a table of the download fails here until the page can name it."""
    missing = set()
    for model in SECTION_MODELS.values():
        for column in model.__mapper__.column_attrs:
            key = column.key
            if key in SECRET_COLUMNS or key == "id" or key.endswith("_id"):
                continue
            if key not in FIELD_LABELS:
                missing.add(f"{model.__name__}.{key}")
    assert not missing, f"no label for {sorted(missing)}"
    assert all(key in FIELD_LABELS or key.endswith("_id") for key in ADDED_KEYS)


def test_the_page_shows_labels_and_readable_values_in_dutch(client, auth, demo):
    auth.login(WORKER)
    page = client.get("/mijn-gegevens/downloaden").get_data(as_text=True)
    sanne = user_by_email(WORKER)
    assert (
        "<dt>Voornaam</dt>" in page
        and f'<dd class="preserve-lines">{sanne.first_name}</dd>' in page
    )
    assert '<dt>Account actief</dt><dd class="preserve-lines">Ja</dd>' in page
    assert '<dt>Rol</dt><dd class="preserve-lines">Werknemer</dd>' in page
    # no stored column names, no internal numbers, no ISO timestamps
    assert "first_name" not in page and "placement_id" not in page
    assert "T00:00" not in page
    assert user_by_email(OTHER_WORKER).email not in page


def test_the_page_in_english(client, auth, demo):
    auth.login(WORKER)
    client.post("/taal", data={"lang": "en", "next": "/"})
    page = client.get("/mijn-gegevens/downloaden").get_data(as_text=True)
    assert "<dt>First name</dt>" in page and "<dt>Account active</dt>" in page


def test_the_json_file_has_the_stored_names_and_no_secrets(client, auth, demo):
    auth.login(WORKER)
    response = client.get("/mijn-gegevens/downloaden.json")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    sanne = user_by_email(WORKER)
    assert data["account"]["first_name"] == sanne.first_name
    assert all(p["worker_id"] == sanne.id for p in data["placements"])
    text = response.get_data(as_text=True)
    assert sanne.chat_id not in text and "password_hash" not in text
