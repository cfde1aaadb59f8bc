"""The coordinator's forms on the ledger and the what-if scenarios."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from pool.services.ledger import MAX_RATE
from web.forms import PoolForm, options
from web.i18n import PRIORITY

CHANGES = (
    ("extra-request", _l("An extra request")),
    ("specialist-leaves", _l("A specialist leaves")),
    ("contribution", _l("A municipality changes its contribution")),
    ("partner-budget", _l("Another partner budget")),
    ("more-hours", _l("A specialist gives more pool hours a week")),
    ("skill-level", _l("A specialist is trained in a skill (to the minimum level given)")),
)


class RateForm(PoolForm):
    rate = IntegerField(_l("Internal hourly rate (€)"), validators=[InputRequired(), NumberRange(min=0, max=MAX_RATE)])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


class ScenarioForm(PoolForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


class ChangeForm(PoolForm):
    """One change to a scenario; which fields count depends on the kind."""

    kind = SelectField(_l("Change"))
    municipality = StringField(_l("Municipality (CBS code)"), validators=[Optional(), Length(max=40)])
    specialist = StringField(_l("Specialist (code)"), validators=[Optional(), Length(max=40)])
    skill = StringField(_l("Skill (code)"), validators=[Optional(), Length(max=80)])
    min_level = IntegerField(_l("Minimum level"), default=3, validators=[Optional(), NumberRange(min=1, max=5)])
    hours = IntegerField(_l("Hours"), validators=[Optional(), NumberRange(min=0, max=100_000)])
    priority = SelectField(_l("Priority"), coerce=int, default=2)
    week = IntegerField(_l("From week (number in the horizon, from 0)"), default=0,
                        validators=[Optional(), NumberRange(min=0, max=520)])
    end_week = IntegerField(_l("Until week (inclusive)"), validators=[Optional(), NumberRange(min=0, max=520)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = options(CHANGES)
        self.priority.choices = options(PRIORITY.items())
