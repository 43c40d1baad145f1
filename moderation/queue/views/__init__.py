"""The queue's pages; importing this package registers every route on the blueprint."""

from moderation.queue.views import audit, auth, authors, items, lists, stories  # noqa: F401
