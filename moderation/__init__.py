"""Comment moderation service for news sites: scores reader comments against a site's guidelines."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from moderation.body_deadline import BodyDeadline


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, then each part's init_app, in dependency order."""
    from moderation import api, cli, config, extensions, shedding, unavailable
    from moderation.queue import init_app as init_queue
    from moderation.tasks.celery_app import init_app as init_tasks

    environ = config.current_environ()
    config.report_unknown(environ)  # a mistyped MODERATION_* variable would otherwise be ignored in silence
    app = Flask(__name__, instance_path=config.instance_path_from(environ))
    settings = {**config.DEFAULTS, **config.from_env(environ), **(test_config or {})}
    app.config.update(config.resolve(settings, app.instance_path))
    os.makedirs(app.instance_path, exist_ok=True)

    extensions.init_app(app)
    extensions.init_db(app)
    init_tasks(app)  # the scoring workers' tasks (sent only with MODERATION_SCORING=async)
    shedding.init_app(app)  # first of the request hooks: a request that waited too long is refused before any work
    init_queue(app)
    api.init_app(app)
    from moderation import coral, perspective  # Perspective API drop-in, Coral moderation phase
    perspective.init_app(app)
    coral.init_app(app)
    cli.init_app(app)
    unavailable.init_app(app)  # a database outage is a 503 with Retry-After on every surface
    # A client trickling its request body cannot hold a worker thread past BODY_TIMEOUT_S (under gunicorn).
    app.wsgi_app = BodyDeadline(app.wsgi_app, app.config["BODY_TIMEOUT_S"])  # type: ignore[method-assign]
    if app.config["TRUSTED_PROXIES"]:
        # Behind a reverse proxy every request comes from the proxy's address: trust that many proxies'
        # X-Forwarded-For/-Proto/-Host, so rate limits and the sign-in throttle count each reader's address.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    return app
