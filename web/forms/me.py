"""The specialist's forms: leave and home duties, a proposed skill level."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from web.forms import PoolForm, an_id


class LeaveForm(PoolForm):
    kind = SelectField(_l("Kind"))
    start_date = DateField(_l("From"), validators=[InputRequired()])
    end_date = DateField(_l("Until (inclusive)"), validators=[InputRequired()])
    hours_per_week = IntegerField(_l("Hours per week away from the pool"),
                                  validators=[InputRequired(), NumberRange(min=1, max=168)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])

    def validate_end_date(self, field: DateField) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date lies before the start date."))


class LevelForm(PoolForm):
    skill_id = SelectField(_l("Skill"), coerce=an_id, validate_choice=False)
    level = SelectField(_l("Level"), coerce=int)
    note = StringField(_l("Why (for the coordinator)"), validators=[Optional(), Length(max=500)])
