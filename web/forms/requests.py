"""The request form with its needs, and the coordinator's decision."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as PlainForm
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from web.forms import PoolForm, TranslatedMeta, optional_id, options
from web.forms.fields import WeekField

TITLE_MAX = 300
DESCRIPTION_MAX = 5000


def _hours_when_skill(form: PlainForm, field: IntegerField) -> None:
    """Ask hours of a row with a skill; a row without one is left out, so its empty hours are no problem."""
    if field.raw_data and str(field.raw_data[0]).strip():
        return
    field.errors[:] = []
    if form.skill_id.data:
        raise StopValidation(_l("Say how many hours of this skill are needed."))
    raise StopValidation()


class NeedForm(PlainForm):
    class Meta(TranslatedMeta):
        pass

    skill_id = SelectField(_l("Skill"), coerce=optional_id, validate_choice=False)
    min_level = SelectField(_l("Minimum level"), coerce=int, default=3,
                            choices=options((i, str(i)) for i in range(1, 6)))
    hours = IntegerField(_l("Hours"), validators=[_hours_when_skill, NumberRange(min=1, max=5000)])


class RequestForm(PoolForm):
    # No maxlength attribute: the browser would cut a pasted title without a word; the server says why instead.
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX, message=_l(
        "A title has at most %(max)d characters; this one has %(length)d."))],
        description=_l("At most %(max)d characters.", max=TITLE_MAX), render_kw={"maxlength": False})
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=DESCRIPTION_MAX, message=_l(
        "A description has at most %(max)d characters; this one has %(length)d."))],
        description=_l("At most %(max)d characters.", max=DESCRIPTION_MAX), render_kw={"maxlength": False})
    first_week = WeekField(_l("First week"), validators=[InputRequired()])
    last_week = WeekField(_l("Last week"), validators=[InputRequired()])
    max_hours_per_week = IntegerField(_l("Maximum hours per week"), validators=[InputRequired(),
                                                                                NumberRange(min=1, max=200)])
    priority = SelectField(_l("Priority"), coerce=int, default=3)
    allow_partner = BooleanField(_l("The knowledge partner may be used"))
    all_or_nothing = BooleanField(_l("All or nothing: plan all hours or none"))
    needs = FieldList(FormField(NeedForm), min_entries=1)
    version = HiddenField()

    def validate_last_week(self, field: WeekField) -> None:
        if field.data and self.first_week.data and field.data < self.first_week.data:
            raise ValidationError(_l("The last week lies before the first week."))

    def filled_needs(self) -> list[NeedForm]:
        return [entry.form for entry in self.needs if entry.form.skill_id.data]


class DecisionForm(PoolForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()


class CancelForm(PoolForm):
    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=2000)])
    version = HiddenField()
