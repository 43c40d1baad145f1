"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi run`."""

import os
import sys

from moderation import create_app
from moderation.cli import command_settings
from moderation.errors import ConfigError, PolicyError

#: gunicorn's exit status for a worker that cannot boot: the master stops instead of starting another.
BOOT_ERROR = 3

try:
    app = create_app(command_settings(sys.argv, os.environ))
except (ConfigError, PolicyError) as exc:
    # An operator's mistake (a setting, a policy file): one line naming it, not a traceback, for every
    # command and server that loads the app.
    print(f"Error: {exc}", file=sys.stderr)
    raise SystemExit(BOOT_ERROR) from None
