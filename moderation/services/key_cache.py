"""Recognising a site's API key without a database round trip on every request: the key's site is kept for a few
seconds per process (`API_KEY_CACHE_S`).

A key revoked, or a site changed, by another process (the `flask moderation` commands an operator runs) takes
effect within that bound; a change committed through this process's own sessions takes effect at once, because
committing it empties the cache.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, make_transient_to_detached, sessionmaker

from moderation.db.models import ApiKey, Site
from moderation.services.sites import site_for_key

#: The most keys kept: a site has a few, a process serves a few hundred sites at most.
MAX_KEYS = 1024
_COLUMNS = tuple(c.key for c in sa.inspect(Site).column_attrs)
_CHANGED = "moderation.key_cache.changed"


class KeyCache:
    """The site of each live API key seen in the last `ttl_s` seconds; thread-safe. Unknown and revoked keys are
    never kept, so a new key works at once and a refused one is looked up again each time."""

    def __init__(self, ttl_s: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_s = ttl_s
        self.clock = clock
        self._sites: dict[str, tuple[float, dict[str, Any]]] = {}
        self._lock = threading.Lock()

    def site(self, session: Session, token: str) -> Site | None:
        """The site whose live key `token` is (an object of `session`), or None; the database is asked only when
        the key's entry is missing or older than `ttl_s`."""
        now = self.clock()
        with self._lock:
            entry = self._sites.get(token)
        if entry is not None and now < entry[0]:
            return _attach(session, entry[1])
        site = site_for_key(session, token)
        if site is not None and self.ttl_s > 0:
            values = {name: copy.deepcopy(getattr(site, name)) for name in _COLUMNS}
            with self._lock:
                if len(self._sites) >= MAX_KEYS:
                    self._sites.clear()
                self._sites[token] = (now + self.ttl_s, values)
        return site

    def clear(self) -> None:
        """Forget every key: the next request with each is looked up again."""
        with self._lock:
            self._sites.clear()

    def watch(self, sessions: sessionmaker[Any]) -> None:
        """Empty the cache whenever a session of `sessions` commits a change to a site or an API key."""
        event.listen(sessions, "after_flush", _note_changes)
        event.listen(sessions, "after_commit", self._after_commit)
        event.listen(sessions, "after_rollback", _forget_changes)

    def _after_commit(self, session: Session) -> None:
        if session.info.pop(_CHANGED, False):
            self.clear()


def _attach(session: Session, values: dict[str, Any]) -> Site:
    """A copy of the kept site as a persistent object of `session`, made without a query."""
    site = Site(**copy.deepcopy(values))
    make_transient_to_detached(site)
    return session.merge(site, load=False)


def _note_changes(session: Session, _context: Any) -> None:
    if any(isinstance(obj, Site | ApiKey) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_CHANGED] = True


def _forget_changes(session: Session) -> None:
    session.info.pop(_CHANGED, None)
