"""The coordinator's forms on the planning desk: start a run, change an assignment, publish."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, HiddenField, IntegerField, RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from pool.services.runs import MAX_TIME_LIMIT
from web.forms import PoolForm, options

METHODS = (
    ("planner", _l("Planner (CP-SAT): fuller and fairer, takes up to the time limit")),
    ("greedy", _l("Greedy: priority first, the way a spreadsheet works, in seconds")),
)


class RunForm(PoolForm):
    method = RadioField(_l("Method"), default="planner", validators=[InputRequired()])
    time_limit = DecimalField(_l("Time limit (seconds)"), default=30, places=None, validators=[
        InputRequired(), NumberRange(min=1, max=MAX_TIME_LIMIT)])
    frozen_weeks = IntegerField(_l("Frozen weeks"), default=0, validators=[InputRequired(), NumberRange(min=0)])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.method.choices = options(METHODS)


class AssignmentForm(PoolForm):
    request = StringField(_l("Request"), validators=[DataRequired(), Length(max=80)])
    need = IntegerField(_l("Need"), validators=[InputRequired(), NumberRange(min=0, max=999)])
    specialist = StringField(_l("Specialist"), validators=[DataRequired(), Length(max=80)])
    week = IntegerField(_l("Week"), validators=[InputRequired(), NumberRange(min=0, max=520)])
    hours = IntegerField(_l("Hours"), validators=[InputRequired(), NumberRange(min=0, max=168)])
    pinned = BooleanField(_l("Pinned"), false_values=("", "0", "false"))
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    version = HiddenField()  # the draft's version the page showed; API callers may leave it out


class ReasonForm(PoolForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
