"""Form fields the standard set lacks: an ISO week."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.widgets import Input

from pool.weeks import iso_week_value

# What an <input type=week> sends (2027-W03); a browser without that control gives a text field, where a person
# types the week the way the hint and Chromium's control read it: week number first (03 2027, week 3, 2027).
WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)
WEEK_FIRST = re.compile(r"^\s*(?:week|wk|w)?\s*(\d{1,2})\s*[\s,/-]\s*(\d{4})\s*$", re.IGNORECASE)


class WeekInput(Input):
    input_type = "week"
    validation_attrs = ["required", "disabled", "max", "min", "readonly", "step"]


class WeekField(Field):
    """An ISO week such as 2027-W03, held as the date of its Monday."""

    widget = WeekInput()
    data: dt.date | None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return iso_week_value(self.data) if self.data else ""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        text = str(valuelist[0])
        year_first, week_first = WEEK.match(text), WEEK_FIRST.match(text)
        try:
            if year_first is not None:
                year, week = int(year_first.group(1)), int(year_first.group(2))
            elif week_first is not None:
                week, year = int(week_first.group(1)), int(week_first.group(2))
            else:
                raise ValueError
            self.data = dt.date.fromisocalendar(year, week, 1)
        except ValueError as e:
            self.data = None
            raise ValueError(_l("Give a week as week number and year, for example week 3, 2027.")) from e
