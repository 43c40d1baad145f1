"""marshmallow shapes of the queue's form posts and filter query strings (the CSRF token is checked before)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, pre_load, validate, validates
from werkzeug.datastructures import MultiDict

from moderation.db.base import MAX_ID
from moderation.db.enums import DecisionAction
from moderation.enums import Script
from moderation.policy.model import CLAUSE_ID_PATTERN
from moderation.services.queue.author_record import Restriction
from moderation.services.queue.authors import AuthorAction
from moderation.services.queue.lists import ListOrder

_short = validate.Length(max=2000)


class _Form(Schema):
    class Meta:
        unknown = RAISE

    @pre_load
    def _drop_token(self, data: Mapping[str, Any], **_: Any) -> dict[str, Any]:
        return {k: v for k, v in data.items() if k != "csrf_token"}


class LoginForm(_Form):
    email = fields.String(required=True, validate=validate.Length(min=3, max=320))
    password = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    next = fields.String(load_default=None)


class DecideForm(_Form):
    #: "id@status:queue:revision" for each chosen comment: the state the moderator saw.
    item = fields.List(
        fields.String(validate=validate.Regexp(r"^\d+@[a-z_]+:[a-z_]*:\d+$")),
        required=True,
        validate=validate.Length(min=1, max=500),
    )
    verb = fields.Enum(DecisionAction, by_value=True, required=True,
                       validate=validate.OneOf(DecisionAction.moderator_choices()))
    #: "other" or a clause id (the service checks it is one of the comment's policy).
    reason = fields.String(load_default="", validate=validate.Regexp(CLAUSE_ID_PATTERN))
    note = fields.String(load_default=None, validate=_short)
    #: The moderator's own words to the commenter (a rejection); empty: the guideline's reader text.
    reader_message = fields.String(load_default=None, validate=validate.Length(max=1000))
    back = fields.String(load_default=None)
    #: The comment page the decision was taken on (absent for bulk decisions): a refusal returns there.
    here = fields.String(load_default=None)


class EditForm(_Form):
    seen = fields.String(required=True, validate=validate.Regexp(r"^[a-z_]+:[a-z_]*:\d+$"))
    text = fields.String(required=True, validate=validate.Length(min=1, max=20_000))
    note = fields.String(load_default=None, validate=_short)
    #: Where to go once it is published: the next comment of the list, as after approve and reject.
    back = fields.String(load_default=None)


class AuthorForm(_Form):
    #: The quick actions; a ban (or a suspension) needs a reason and a confirmation: `RestrictForm`.
    action = fields.Enum(AuthorAction, by_value=True, required=True,
                         validate=validate.OneOf((AuthorAction.PREMODERATE, AuthorAction.LIFT)))
    note = fields.String(load_default=None, validate=_short)
    back = fields.String(load_default=None)


class QueueArgs(Schema):
    class Meta:
        unknown = EXCLUDE  # stray query parameters are ignored, not errors

    def __init__(self, clause_ids: Collection[str] = (), **kwargs: Any) -> None:
        """`clause_ids`: the clauses of the loaded policies, the only ones a list can be filtered by."""
        super().__init__(**kwargs)
        self.clause_ids = frozenset(clause_ids)

    @validates("clause")
    def _known_clause(self, value: str | None, **_: Any) -> None:
        if value is not None and value not in self.clause_ids:
            raise ValidationError("Not a clause of any policy.")

    article = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    clause = fields.String(load_default=None)
    language = fields.String(load_default=None, validate=validate.OneOf([s.value for s in Script]))
    author = fields.String(load_default=None, validate=validate.Length(max=200))
    author_id = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    #: None: the list's own default (risk for the waiting queues, newest first for the decided ones).
    order = fields.Enum(ListOrder, by_value=True, load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))


class AuditArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    who = fields.String(load_default=None, validate=validate.Length(max=320))
    action = fields.Enum(DecisionAction, by_value=True, load_default=None)
    comment = fields.Integer(load_default=None, validate=validate.Range(min=1, max=MAX_ID))
    since = fields.Date(load_default=None)
    until = fields.Date(load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


class AgreementArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    site = fields.String(load_default=None, validate=validate.Length(max=200))
    since = fields.Date(load_default=None)


class ReplayArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    site = fields.String(load_default=None, validate=validate.Length(max=200))
    policy = fields.String(load_default=None, validate=validate.Length(max=100))
    days = fields.Integer(load_default=7, validate=validate.Range(min=1, max=90))


def load(schema: Schema, data: MultiDict[str, str], lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """Parse a form or query string: blank fields count as absent, `lists` keep every value."""
    flat: dict[str, Any] = {}
    for key in data:
        if key in lists:
            flat[key] = data.getlist(key)
        elif (value := data.get(key, "")).strip() != "":
            flat[key] = value
    result: dict[str, Any] = schema.load(flat)
    return result


__all__ = ["AgreementArgs", "AuditArgs", "AuthorForm", "DecideForm", "EditForm", "LoginForm", "QueueArgs", "ReplayArgs",
           "ValidationError", "load"]


class StoryForm(_Form):
    #: "open" or "close" the story's comments.
    comments = fields.String(required=True, validate=validate.OneOf(("open", "close")))


class RestrictForm(_Form):
    restriction = fields.Enum(Restriction, by_value=True, required=True)
    reason = fields.String(load_default="", validate=_short)
    confirm = fields.Boolean(load_default=False)
    reject_waiting = fields.Boolean(load_default=False)


class NoteForm(_Form):
    text = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class AuthorSearchArgs(Schema):
    class Meta:
        unknown = EXCLUDE

    q = fields.String(load_default="", validate=validate.Length(max=200))

