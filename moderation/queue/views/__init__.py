"""The queue's pages; importing this package registers every route on the blueprint."""

from moderation.queue.views import audit, auth, groups, insights, items, lists  # noqa: F401
