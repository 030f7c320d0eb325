"""AVG: no form and no table anywhere has a field for a diagnosis or the nature of an illness.

Every WTForms form of every blueprint and every column of every model is checked by name, so a
field added later is checked too. (Free-text fields that employers see carry a warning not to
write about the illness; the sickness tests check those texts.)
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from flask_wtf import FlaskForm
from wtforms import Form

import portal.blueprints
from portal.extensions import db

MEDICAL = re.compile(
    r"diagnos|illness|disease|medical|medic|symptom|condition|complaint_nature|ziektebeeld|"
    r"aandoening|medisch|klachten|handicap|beperking_aard|nature_of",
    re.IGNORECASE,
)


def all_form_classes() -> list[type[Form]]:
    for module in pkgutil.iter_modules(portal.blueprints.__path__):
        try:
            importlib.import_module(f"portal.blueprints.{module.name}.forms")
        except ModuleNotFoundError as error:
            if not error.name.endswith(".forms"):
                raise
    found, todo = [], [FlaskForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("portal."):
                found.append(sub)
    return found


def test_no_form_field_asks_for_medical_information(app):
    forms = all_form_classes()
    assert len(forms) > 20, "the forms of every blueprint were found"
    with app.test_request_context():
        wrong = [
            f"{form.__module__}.{form.__name__}.{field.name}"
            for form in forms
            for field in form(meta={"csrf": False})
            if MEDICAL.search(field.name)
        ]
    assert wrong == []


def test_no_table_has_a_column_for_medical_information():
    columns = [
        f"{table.name}.{column.name}"
        for table in db.metadata.sorted_tables
        for column in table.columns
    ]
    assert len(columns) > 100
    assert [name for name in columns if MEDICAL.search(name)] == []
