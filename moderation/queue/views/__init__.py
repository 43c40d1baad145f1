"""The queue's pages; importing this package registers every route on the blueprint."""

from moderation.queue.views import (  # noqa: F401
    agreement,
    audit,
    auth,
    authors,
    groups,
    insights,
    items,
    lists,
    replay,
    spot_check,
    stories,
)
