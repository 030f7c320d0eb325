"""Shared pieces of the WTForms forms: the base form of the portal and id choices."""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, ValidationError
from wtforms.meta import DefaultMeta

from portal.services.reference import normal_kvk, normal_postcode

# PostgreSQL's INTEGER: an id outside it is no record, and must not reach a query (it overflows).
MAX_RECORD_ID = 2**31 - 1


def record_id(value: object) -> int:
    """`coerce` for a choice that holds a record id (0 is the "choose ..." option): a ValueError,
    so a form error, for anything that is not a whole number in the database's id range."""
    number = int(value)  # type: ignore[call-overload]
    if not 0 <= number <= MAX_RECORD_ID:
        raise ValueError("not a record id")
    return number


def without_nul(value: object) -> object:
    """Typed text never holds a NUL character, and PostgreSQL cannot store one: drop it."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class PortalForm(FlaskForm):
    """The base of every form: CSRF (Flask-WTF) and input cleaned of NUL characters."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            # The field's own filters (e.g. strip) stay: `options` would replace them.
            own = options.get("filters", unbound_field.kwargs.get("filters", ()))
            options["filters"] = (without_nul, *own)
            return DefaultMeta.bind_field(self, form, unbound_field, options)


class OnceOnly:
    """A form that creates a record: it carries a one-off key, so sending it again (after "not
    saved" while the commit did happen) does not store it twice; see portal.services.submissions.
    Render `form.submission` in the template."""

    submission = HiddenField(default=lambda: secrets.token_hex(16))


def kvk_check(form, field) -> None:
    """Validator: a KvK number when filled in (normalised later with `normal_kvk`)."""
    if field.data and normal_kvk(field.data) is None:
        raise ValidationError(_l("A KvK number has exactly 8 digits."))


def postcode_check(form, field) -> None:
    """Validator: a Dutch postcode when filled in (normalised later with `normal_postcode`)."""
    if field.data and normal_postcode(field.data) is None:
        raise ValidationError(_l("Fill in a postcode like 1234 AB."))


class ActionForm(PortalForm):
    """A button that does one thing (deactivate, send an invitation): only the CSRF token; the
    template writes the button."""
