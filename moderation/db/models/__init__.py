"""All models, importable from one place (importing this registers every table on Base.metadata)."""

from moderation.db.models.content import Article, Author, AuthorNote, Comment, CommentRevision
from moderation.db.models.coordination import CommentBand, CommentFingerprint, CommentGroup
from moderation.db.models.insights import InsightStoryMonth, InsightTally
from moderation.db.models.moderation import Decision, Report, Score
from moderation.db.models.outbox import AuditLog, WebhookDelivery
from moderation.db.models.people import Claim, User
from moderation.db.models.sites import ApiKey, Site

__all__ = [
    "ApiKey",
    "Article",
    "AuditLog",
    "Author",
    "AuthorNote",
    "Claim",
    "Comment",
    "CommentBand",
    "CommentFingerprint",
    "CommentGroup",
    "CommentRevision",
    "Decision",
    "InsightStoryMonth",
    "InsightTally",
    "Report",
    "Score",
    "Site",
    "User",
    "WebhookDelivery",
]
