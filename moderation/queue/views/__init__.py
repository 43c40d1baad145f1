"""The queue's pages; importing this package registers every route on the blueprint."""

from moderation.queue.views import agreement, audit, auth, items, lists, replay, spot_check  # noqa: F401
