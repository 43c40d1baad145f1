"""The signing key for moderator sessions: configured, or generated once into the instance folder."""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from pathlib import Path

from moderation.errors import ConfigError

log = logging.getLogger(__name__)

KEY_FILE = "secret_key"


def load_or_create_secret_key(instance_path: str) -> str:
    """Read the instance's key file, creating it (mode 0600) the first time; safe when workers race."""
    path = Path(instance_path) / KEY_FILE
    if not path.exists():
        # Write a private temporary file, then link it into place: the key file appears complete or not at all,
        # and when workers race, the first link wins and every worker reads that one.
        fd, tmp = tempfile.mkstemp(dir=instance_path, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32))
            os.link(tmp, path)
            log.info("generated a new session signing key in %s", path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ConfigError(f"{path} holds a key shorter than 32 characters; delete it to have a new one made")
    return key
