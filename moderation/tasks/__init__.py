"""Scoring in Celery workers (MODERATION_SCORING=async): the Celery app, its tasks and the API's hand-off to them."""
