"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi run`."""

from moderation import create_app
from moderation.errors import ConfigError, PolicyError

try:
    app = create_app()
except (ConfigError, PolicyError) as exc:
    # An operator's mistake (a setting, a policy file): one line naming it, not a traceback, for every
    # command and server that loads the app.
    raise SystemExit(f"Error: {exc}") from None
