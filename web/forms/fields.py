"""Form fields the standard set lacks: an ISO week."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.widgets import Input

from pool.weeks import iso_week_value

WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


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
        m = WEEK.match(str(valuelist[0]))
        try:
            if m is None:
                raise ValueError
            self.data = dt.date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
        except ValueError as e:
            self.data = None
            raise ValueError(_l("Give a week as year and week number, for example 2027-W03.")) from e
