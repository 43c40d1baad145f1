"""The signing key for moderator sessions: configured, or generated once into the instance folder."""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from moderation.errors import ConfigError

log = logging.getLogger(__name__)

KEY_FILE = "secret_key"


def load_or_create_secret_key(instance_path: str) -> str:
    """Read the instance's key file, creating it (mode 0600) the first time; safe when workers race."""
    path = Path(instance_path) / KEY_FILE
    if not path.exists():
        key = secrets.token_hex(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another worker created it first; use theirs
        else:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(key)
            log.info("generated a new session signing key in %s", path)
    key = path.read_text(encoding="ascii").strip()
    if len(key) < 32:
        raise ConfigError(f"{path} holds a key shorter than 32 characters; delete it to have a new one made")
    return key
