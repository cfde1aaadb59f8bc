"""The coordinator's forms for keeping the pool."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from web.forms import PoolForm, optional_id


class MunicipalityForm(PoolForm):
    code = StringField(_l("CBS code"), validators=[DataRequired(), Regexp(r"^GM\d{4}$", message=_l(
        "A CBS code looks like GM0505."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


class ContributionForm(PoolForm):
    hours_per_week = IntegerField(_l("Pool hours per week"), validators=[InputRequired(),
                                                                         NumberRange(min=0, max=10_000)])
    valid_from = DateField(_l("From"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
    latest = HiddenField()  # the id of the contribution in force the page showed (0: none)
    version = HiddenField()  # and its version


class SkillForm(PoolForm):
    code = StringField(_l("Code"), validators=[Optional(), Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l(
        "Use lower-case letters, digits and hyphens."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])


class SpecialistForm(PoolForm):
    code = StringField(_l("Code"), validators=[Optional(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    municipality_id = SelectField(_l("Home municipality"), coerce=optional_id, validate_choice=False)
    pool_hours_per_week = IntegerField(_l("Pool hours per week"), validators=[InputRequired(),
                                                                              NumberRange(min=0, max=60)])
    hourly_cost = IntegerField(_l("Hourly cost (euro)"), default=0, validators=[InputRequired(),
                                                                                NumberRange(min=0, max=100_000)])
    active = BooleanField(_l("Active"), default=True)
    version = HiddenField()


class ContractForm(PoolForm):
    name = StringField(_l("Partner"), validators=[DataRequired(), Length(max=200)])
    budget_hours = IntegerField(_l("Budget (hours)"), validators=[InputRequired(),
                                                                  NumberRange(min=0, max=10_000_000)])
    hourly_rate = IntegerField(_l("Hourly rate (euro)"), validators=[InputRequired(), NumberRange(min=0, max=100_000)])
    min_notice_weeks = IntegerField(_l("Notice period (weeks)"), validators=[InputRequired(),
                                                                             NumberRange(min=0, max=260)])
    valid_from = DateField(_l("Valid from"), validators=[InputRequired()])
    valid_to = DateField(_l("Valid until"), validators=[Optional()])
    reason = StringField(_l("Reason for the change"), validators=[Optional(), Length(max=500)])
    version = HiddenField()
