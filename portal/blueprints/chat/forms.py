from flask_babel import lazy_gettext as _l
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from portal.form_fields import PortalForm


class ChatForm(PortalForm):
    message = StringField(
        _l("Your message"),
        validators=[
            DataRequired(message=_l("Type a message first.")),
            Length(max=1000, message=_l("Use at most 1000 characters.")),
        ],
        render_kw={"autocomplete": "off"},
    )
    submit = SubmitField(_l("Send"))
