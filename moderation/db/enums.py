"""Stored states: the values the status columns may take."""

from __future__ import annotations

from enum import StrEnum


class CommentStatus(StrEnum):
    """Where a comment stands for the site: only published comments may be rendered."""

    PUBLISHED = "published"
    PENDING = "pending"
    REJECTED = "rejected"
    TAKEN_DOWN = "taken_down"


class Queue(StrEnum):
    """Which moderator queue a comment waits in (None when it waits in none)."""

    REVIEW = "review"
    LEGAL = "legal"
    REPORTED = "reported"


class AuthorStatus(StrEnum):
    """How the site's commenter is treated: normally, always held, or always rejected."""

    NORMAL = "normal"
    PREMODERATED = "premoderated"
    BANNED = "banned"


class UserRole(StrEnum):
    """What a moderator account may do: the legal lane needs `legal`, managing users needs `admin`."""

    MODERATOR = "moderator"
    LEGAL = "legal"
    ADMIN = "admin"


class DeliveryStatus(StrEnum):
    """A webhook delivery: waiting (first try or a retry), delivered, or given up after the last attempt."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"
