"""The moderator web queue: server-rendered pages where the editorial team reviews and decides comments."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint(
    "queue",
    __name__,
    url_prefix="/queue",
    template_folder="templates",
    static_folder="static",
    static_url_path="/static",
)


def init_app(app: Flask) -> None:
    """Session security, the login throttle and the queue's routes."""
    from moderation.queue import setup

    setup.init_app(app)
