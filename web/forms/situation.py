"""The coordinator's form for uploading a planning situation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired

from web.forms import PoolForm


class SituationForm(PoolForm):
    document = FileField(_l("Situation file (pool-instance/1, JSON)"),
                         validators=[FileRequired(_l("Choose a file to upload."))])
