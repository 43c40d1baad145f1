"""Coral Talk's external moderation phase: the request Coral signs and sends, and our answer."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

ROLES = ("COMMENTER", "STAFF", "MODERATOR", "ADMIN", "MEMBER")
STATUSES = ("NONE", "APPROVED", "REJECTED", "PREMOD", "SYSTEM_WITHHELD")
FLAG_REASONS = ("COMMENT_DETECTED_TOXIC", "COMMENT_DETECTED_SPAM")


class _CoralSchema(Schema):
    # Coral adds fields between releases (e.g. 6.x sent `tenant: {id, domain}`, 7.x sends `tenantID` and
    # `tenantDomain`); a field we do not use must not make us drop a comment's moderation, so unknown
    # fields are ignored here rather than refused.
    class Meta:
        unknown = EXCLUDE


class CoralCommentSchema(_CoralSchema):
    body = fields.String(required=True)
    parent_id = fields.String(data_key="parentID", allow_none=True, load_default=None)


class CoralAuthorSchema(_CoralSchema):
    id = fields.String(required=True)
    role = fields.String(load_default="COMMENTER")


class CoralStorySchema(_CoralSchema):
    id = fields.String(required=True)
    url = fields.String(load_default="")


class CoralSiteSchema(_CoralSchema):
    id = fields.String(required=True)


class CoralTenantSchema(_CoralSchema):
    id = fields.String()
    domain = fields.String()


class ExternalModerationRequestSchema(_CoralSchema):
    """What Coral posts for each new or edited comment."""

    action = fields.String(required=True, validate=validate.OneOf(("NEW", "EDIT")))
    comment = fields.Nested(CoralCommentSchema, required=True)
    author = fields.Nested(CoralAuthorSchema, required=True)
    story = fields.Nested(CoralStorySchema, required=True)
    site = fields.Nested(CoralSiteSchema)
    tenant_id = fields.String(data_key="tenantID")
    tenant_domain = fields.String(data_key="tenantDomain")
    tenant = fields.Nested(CoralTenantSchema)


class CoralActionSchema(Schema):
    action_type = fields.String(data_key="actionType", validate=validate.Equal("FLAG"))
    reason = fields.String(validate=validate.OneOf(FLAG_REASONS))
    #: shown to moderators by Coral releases that read it; newer releases drop it without complaint
    additional_details = fields.String(data_key="additionalDetails")


class ExternalModerationResponseSchema(Schema):
    """Our answer: a status that ends Coral's pipeline, and flags that tell moderators why."""

    status = fields.String(validate=validate.OneOf(STATUSES))
    actions = fields.List(fields.Nested(CoralActionSchema))
    tags = fields.List(fields.String())
