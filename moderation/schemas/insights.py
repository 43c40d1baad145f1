"""The insights page's query string: a date range and a site."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from moderation.db.base import MAX_ID

#: The longest range the page draws, in days.
MAX_DAYS = 366


class InsightsArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    start = fields.Date(load_default=None)
    end = fields.Date(load_default=None)
    site = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))

    @validates_schema
    def _range(self, data: Mapping[str, Any], **_: Any) -> None:
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise ValidationError("the range starts after it ends", "start")
        if start and end and (end - start).days >= MAX_DAYS:
            raise ValidationError(f"at most {MAX_DAYS} days at a time", "start")
