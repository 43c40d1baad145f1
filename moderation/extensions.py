"""Per-app resources: the scorer, the loaded policies, and the database engine with a per-request session."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, Response, current_app, g
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException

from moderation.db.session import make_engine, make_session_factory
from moderation.detectors.registry import warm_up as warm_up_detectors
from moderation.errors import PolicyError
from moderation.policy.loader import check_labels, load_policies
from moderation.policy.model import Policy
from moderation.scoring.base import Scorer
from moderation.scoring.batching import BatchingScorer
from moderation.scoring.factory import build_scorer
from moderation.services.key_cache import KeyCache

log = logging.getLogger(__name__)


@dataclass
class Resources:
    """What an app instance holds for its whole life (one per worker process)."""

    scorer: Scorer
    policies: dict[str, Policy] = field(default_factory=dict)
    default_policy: str = "default"


def init_app(app: Flask) -> None:
    """Load policies (fail fast on a bad file), build the scorer and, if configured, load the model now."""
    policies = load_policies(Path(app.config["POLICY_DIR"]), app.config["DEFAULT_POLICY"])
    scorer = build_scorer(app.config)
    if app.config["SCORER_BATCHING"]:  # concurrent requests share model calls
        scorer = BatchingScorer(scorer, max_texts=int(app.config["SCORER_BATCH_SIZE"]))
    app.extensions["moderation"] = Resources(scorer=scorer, policies=policies, default_policy=app.config["DEFAULT_POLICY"])
    if app.config["LOAD_MODEL_AT_START"]:
        scorer.load()
        check_labels(policies.values(), scorer.name, scorer.labels)
        warm_up_detectors()
        _return_freed_memory()


def _return_freed_memory() -> None:
    """Hand the buffers freed while loading (the checkpoint, where PyTorch loads one; the detectors' warm-up)
    back to the OS, so a worker's resident memory is what it uses. glibc only."""
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def resources() -> Resources:
    """The current app's resources."""
    res: Resources = current_app.extensions["moderation"]
    return res


def scorer_timeout() -> float:
    """Seconds a request waits for the model (SCORER_TIMEOUT_S): the JSON API's and Perspective's."""
    return float(current_app.config["SCORER_TIMEOUT_S"])


def get_scorer() -> Scorer:
    """The app's scorer (loaded once per process)."""
    return resources().scorer


def get_policy(name: str | None = None) -> Policy:
    """A policy by name, the configured default when no name is given; PolicyError naming the known ones if none."""
    res = resources()
    wanted = name or res.default_policy
    try:
        return res.policies[wanted]
    except KeyError:
        raise PolicyError(f"no policy named {wanted!r} (known: {', '.join(sorted(res.policies)) or 'none'})") from None


#: Renders an HTTP error (not found, wrong method, too large, rate limited) in a wire format other than ours.
ErrorFormat = Callable[[HTTPException], Response]


def register_error_format(app: Flask, prefix: str, render: ErrorFormat) -> None:
    """Answer HTTP errors under `prefix` with `render`: a drop-in for another service speaks its error format."""
    app.extensions.setdefault("moderation.error_formats", {})[prefix] = render


def render_in_registered_format(path: str, error: HTTPException) -> Response | None:
    """The error in the format registered for the path's prefix, keeping the headers that tell a client what to
    do next (Retry-After; Allow on a 405), or None when no format is registered there."""
    formats: dict[str, ErrorFormat] = current_app.extensions.get("moderation.error_formats", {})
    render = next((render for prefix, render in formats.items() if path.startswith(prefix)), None)
    if render is None:
        return None
    response = render(error)
    original = error.get_response().headers
    for name in ("Retry-After", "Allow") if response.status_code == 405 else ("Retry-After",):
        if name in original:
            response.headers[name] = original[name]
    return response


@dataclass
class Database:
    """The app's engine (one pool per process), the factory of its sessions, and the API keys recognised lately."""

    engine: Engine
    sessions: sessionmaker[Session]
    keys: KeyCache = field(default_factory=lambda: KeyCache(0))  # none kept unless `init_db` says for how long


def init_db(app: Flask) -> None:
    """Create the engine for DATABASE_URL; each request (or CLI command) gets one session, closed at teardown."""
    engine = make_engine(app.config["DATABASE_URL"])
    sessions = make_session_factory(engine)
    keys = KeyCache(float(app.config["API_KEY_CACHE_S"]))
    keys.watch(sessions)
    app.extensions["moderation.db"] = Database(engine=engine, sessions=sessions, keys=keys)  # type: ignore[arg-type]
    app.teardown_appcontext(_close_session)


def database() -> Database:
    """The current app's database."""
    db: Database = current_app.extensions["moderation.db"]
    return db


def get_engine() -> Engine:
    """The current app's engine."""
    return database().engine


def get_session() -> Session:
    """This request's session (created on first use, closed when the app context ends)."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    session: Session = g.db_session
    return session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
