from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from portal.form_fields import PortalForm
from portal.models import ProfilePart

TEXT_LIMIT = 2000
too_long = _l("Use at most 2000 characters.")


class WorkProfileForm(PortalForm):
    strengths = TextAreaField(
        _l("What I am good at"),
        validators=[Optional(), Length(max=TEXT_LIMIT, message=too_long)],
    )
    support_needs = TextAreaField(
        _l("What helps me at work"),
        description=_l("For example: clear tasks, a quiet place, breaks. Not your illness."),
        validators=[Optional(), Length(max=TEXT_LIMIT, message=too_long)],
    )
    work_wishes = TextAreaField(
        _l("What I want to learn or do more of"),
        validators=[Optional(), Length(max=TEXT_LIMIT, message=too_long)],
    )
    share_contact_details = BooleanField(_l("My phone number and e-mail address"))
    share_strengths = BooleanField(_l("What I am good at"))
    share_support_needs = BooleanField(_l("What helps me at work"))
    share_work_wishes = BooleanField(_l("What I want to learn or do more of"))
    submit = SubmitField(_l("Save"))

    def shared(self) -> set[ProfilePart]:
        return {part for part in ProfilePart if self[f"share_{part.value}"].data}
