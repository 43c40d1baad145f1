"""Configuration: embedded defaults, overridden by MODERATION_* environment variables, then validated."""

from __future__ import annotations

import difflib
import logging
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from moderation.errors import ConfigError

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Every setting is an environment variable with this prefix.
ENV_PREFIX = "MODERATION_"

SCORING_CHOICES = ("sync", "async")
SCORER_CHOICES = ("bundled", "original", "unbiased", "multilingual", "checkpoint")
PRECISION_CHOICES = ("auto", "float32", "bfloat16", "int8")

#: Defaults; "{instance}" is replaced by the app's instance folder.
DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": "sqlite:///{instance}/moderation.db",
    "SCORER": "bundled",  # bundled | original | unbiased | multilingual | checkpoint
    "SCORER_CHECKPOINT": None,  # with SCORER=checkpoint: a detoxify-format checkpoint file
    "SCORER_CONFIG_DIR": None,  # with SCORER=checkpoint: its config.json + tokenizer directory
    "BUNDLED_WEIGHTS_DIR": None,  # with SCORER=bundled: weights from `flask moderation train --out DIR` (default: the package's)
    "SCORER_THREADS": 2,  # the encoder's threads per process (torch intra-op; parallel int8 runs)
    "SCORER_BATCH_SIZE": 32,
    "SCORER_BATCHING": True,  # concurrent requests in one worker share model calls (a lone one runs at once)
    "SCORER_TIMEOUT_S": 10.0,
    "RESCORE_TIMEOUT_S": 60.0,  # seconds `flask moderation rescore` gives each comment: its own, not the API's
    "SCORER_PRECISION": "auto",  # auto | float32 | bfloat16 | int8 (auto: int8)
    "MODEL_CACHE_DIR": "{instance}/models",
    "POLICY_DIR": str(PROJECT_ROOT / "policies"),
    "DEFAULT_POLICY": "default",
    # Seconds an API key's site is kept in each process: a key revoked or a site changed by another process (the
    # `flask moderation` commands) takes effect within this; 0 looks the key up on every request.
    "API_KEY_CACHE_S": 5.0,
    "MAX_COMMENT_CHARS": 10_000,
    "RATELIMIT_STORAGE_URI": "memory://",
    # A site's whole comment flow comes through one key: room for a big site's breaking-news peak (100 comments
    # a second for a minute); the machine is protected by load shedding, not by this limit.
    "RATELIMIT_DEFAULT": "6000 per minute",
    "PREVIEW_BUDGET": "1000000 per minute",  # characters each API key may have scored as previews (score, analyze)
    "LOAD_MODEL_AT_START": True,
    "BODY_TIMEOUT_S": 10.0,  # a request body must arrive within this, or 408 and the connection is closed
    # A machine-facing request that waited longer for a worker thread is answered 503 at once: with 0.2 s, twice
    # the sustainable rate is answered within a second (docs/benchmarks.md, "Fewer threads, a tighter budget").
    "SHED_BUDGET_S": 0.2,
    "CORAL_BUDGET_MS": 200.0,  # Coral's default timeout for an external moderation phase: we answer within it
    "QUEUE_COOKIE_SECURE": True,  # the queue's cookies only over HTTPS; set false for plain-HTTP development
    "QUEUE_SESSION_HOURS": 12.0,
    "QUEUE_CLAIM_MINUTES": 5,
    "QUEUE_PAGE_SIZE": 50,
    "QUEUE_TIMEZONE": "UTC",  # the zone the queue shows times in, e.g. Asia/Kolkata
    "TRUSTED_PROXIES": 0,
    # sync: a comment is scored and decided inside its request (one machine). async: it is stored as held "not
    # scored yet", answered 202, and scored by `flask moderation scoring-worker` processes through the broker.
    "SCORING": "sync",
    "CELERY_BROKER": "redis://127.0.0.1:6379/0",  # redis://… or amqp://… (RabbitMQ); read only in async mode
    # Redis only: a task a killed worker had taken is handed to another worker after this long (RabbitMQ hands it
    # on as soon as the connection drops). Longer than a task may run; a task run twice still decides once.
    "CELERY_VISIBILITY_TIMEOUT_S": 60.0,
    # Where the parts of a job split across the workers (replay, export --on-workers) send their results back:
    # empty is the broker itself when it is Redis, RabbitMQ's reply queues (rpc://) when it is RabbitMQ.
    "CELERY_RESULT_BACKEND": "",
    # Each scoring worker sends again the comments stored more than this long ago (and within the last hour) that
    # are still not scored, once no scoring task waits on the broker (it looks every fifth of this): a task lost by
    # the broker (Redis can lose one a worker was killed while receiving) or taken by a killed worker is scored all
    # the same. Sending twice is harmless: a comment is decided once.
    "SCORING_SWEEP_S": 10.0,
    "SCORING_TASK_RETRIES": 5,  # a comment whose scoring failed is tried again this often, then left held for rescore
}

#: Variables that are not app settings: the instance folder (read before the app exists), the base encoder's
#: directory (read by training and the bundled scorer, with or without an app), and the test suite's own.
OTHER_VARIABLES = ("INSTANCE_PATH", "ENCODER_DIR", "TEST_DATABASE_URL", "SCREENSHOT_DIR")

#: Numbers that must be positive: the smallest value each takes (and the largest, for those that have one).
_MINIMUMS: dict[str, float] = {"SCORER_THREADS": 1, "SCORER_BATCH_SIZE": 1, "MAX_COMMENT_CHARS": 1,
                               "SCORER_TIMEOUT_S": 0.001, "RESCORE_TIMEOUT_S": 0.001, "BODY_TIMEOUT_S": 0.1, "SHED_BUDGET_S": 0.01,
                               "CORAL_BUDGET_MS": 1, "QUEUE_SESSION_HOURS": 0.01,
                               "QUEUE_CLAIM_MINUTES": 1, "QUEUE_PAGE_SIZE": 1,
                               "CELERY_VISIBILITY_TIMEOUT_S": 1, "SCORING_TASK_RETRIES": 0,
                               "SCORING_SWEEP_S": 0.1, "API_KEY_CACHE_S": 0}
_MAXIMUMS: dict[str, float] = {"QUEUE_SESSION_HOURS": 24 * 365, "QUEUE_CLAIM_MINUTES": 24 * 60,
                               "QUEUE_PAGE_SIZE": 1000}
#: PostgreSQL URLs as libpq and hosting platforms write them, and the driver this project installs.
_POSTGRES_SCHEMES = ("postgres://", "postgresql://")


def from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """Settings given as MODERATION_<NAME> variables, converted to the type of their default."""
    settings: dict[str, Any] = {}
    for key, value in environ.items():
        if not key.startswith(ENV_PREFIX):
            continue
        name = key.removeprefix(ENV_PREFIX)
        kind = type(DEFAULTS.get(name))
        try:
            if kind is bool:
                settings[name] = _boolean(value)
            elif kind in (int, float):
                settings[name] = kind(value.strip())
                if not math.isfinite(settings[name]):
                    raise ValueError(value)
            else:
                settings[name] = value
        except ValueError as exc:
            raise ConfigError(f"{key}={value!r}: expected {_KIND_NAMES[kind]}") from exc
    return settings


_KIND_NAMES = {bool: "true or false", int: "a whole number", float: "a number"}


def unknown_variables(environ: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """MODERATION_* variables that name nothing this service reads, each with the closest name that it does read
    (None when no name is close): a mistyped setting would otherwise be silently ignored."""
    known = [*DEFAULTS, *OTHER_VARIABLES]
    unknown = []
    for key in sorted(environ):
        name = key.removeprefix(ENV_PREFIX)
        if key.startswith(ENV_PREFIX) and name not in known:
            closest = difflib.get_close_matches(name, known, n=1)
            unknown.append((key, ENV_PREFIX + closest[0] if closest else None))
    return unknown


def report_unknown(environ: Mapping[str, str]) -> None:
    """Log one warning line for each MODERATION_* variable that names no setting, with the closest setting."""
    for key, closest in unknown_variables(environ):
        hint = f"; did you mean {closest}?" if closest else ""
        log.warning("%s is not a setting of this service and has no effect%s", key, hint)


def is_set(environ: Mapping[str, str], name: str) -> bool:
    """Whether the operator gave setting `name` (e.g. "LOAD_MODEL_AT_START") as an environment variable."""
    return ENV_PREFIX + name in environ


def _boolean(value: str) -> bool:
    word = value.strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)


def resolve(settings: Mapping[str, Any], instance_path: str) -> dict[str, Any]:
    """Fill "{instance}" placeholders and validate; raises ConfigError naming the setting."""
    out = {k: (v.replace("{instance}", instance_path) if isinstance(v, str) else v) for k, v in settings.items()}
    if out["SCORER"] not in SCORER_CHOICES:
        raise ConfigError(f"MODERATION_SCORER must be one of {', '.join(SCORER_CHOICES)}, not {out['SCORER']!r}")
    if out["SCORING"] not in SCORING_CHOICES:
        raise ConfigError(f"MODERATION_SCORING must be one of {', '.join(SCORING_CHOICES)}, not {out['SCORING']!r}")
    if not str(out["CELERY_BROKER"]).startswith(("redis://", "rediss://", "amqp://", "amqps://", "memory://")):
        raise ConfigError(f"MODERATION_CELERY_BROKER={out['CELERY_BROKER']!r}: give a Redis URL "
                          "(redis://host:6379/0) or a RabbitMQ one (amqp://user@host//)")
    if out["SCORER_PRECISION"] not in PRECISION_CHOICES:
        raise ConfigError(f"MODERATION_SCORER_PRECISION must be one of {', '.join(PRECISION_CHOICES)}, "
                          f"not {out['SCORER_PRECISION']!r}")
    if out["SCORER"] == "checkpoint" and not (out.get("SCORER_CHECKPOINT") and out.get("SCORER_CONFIG_DIR")):
        raise ConfigError("MODERATION_SCORER=checkpoint needs MODERATION_SCORER_CHECKPOINT and MODERATION_SCORER_CONFIG_DIR")
    if out["TRUSTED_PROXIES"] < 0:
        raise ConfigError(f"MODERATION_TRUSTED_PROXIES must be 0 or more, not {out['TRUSTED_PROXIES']!r}")
    for name, least in _MINIMUMS.items():
        if out[name] < least:
            raise ConfigError(f"MODERATION_{name} must be at least {least:g}, not {out[name]!r}")
    for name, most in _MAXIMUMS.items():
        if out[name] > most:
            raise ConfigError(f"MODERATION_{name} must be at most {most:g}, not {out[name]!r}")
    for name in ("RATELIMIT_DEFAULT", "PREVIEW_BUDGET"):
        _check_rate(name, out[name])
    out["DATABASE_URL"] = database_url(out["DATABASE_URL"])
    _check_timezone(out["QUEUE_TIMEZONE"])
    return out


def _check_rate(name: str, value: str) -> None:
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError as exc:
        raise ConfigError(f"MODERATION_{name}={value!r}: give a rate such as '6000 per minute' or "
                          "'100/second;6000/minute'") from exc


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"MODERATION_QUEUE_TIMEZONE={name!r}: give an IANA time zone such as Asia/Kolkata "
                          "or UTC") from exc


def database_url(url: str) -> str:
    """The URL SQLAlchemy is given: `postgres://` and `postgresql://` use the installed driver (psycopg 3);
    anything that is not a SQLite or PostgreSQL URL is a ConfigError."""
    for scheme in _POSTGRES_SCHEMES:
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url.removeprefix(scheme)
    if not url.startswith(("sqlite://", "postgresql+psycopg://")):
        raise ConfigError(f"MODERATION_DATABASE_URL={url!r}: give a PostgreSQL URL "
                          "(postgresql+psycopg://user@host/dbname) or a SQLite one (sqlite:////path/to/file.db)")
    return url


def instance_path_from(environ: Mapping[str, str]) -> str | None:
    """The instance folder (database, secrets, model cache) when MODERATION_INSTANCE_PATH sets it."""
    value = environ.get(ENV_PREFIX + "INSTANCE_PATH")
    return str(Path(value).resolve()) if value else None


def encoder_dir_from(environ: Mapping[str, str]) -> Path | None:
    """The base encoder's directory when MODERATION_ENCODER_DIR names one (e.g. a training machine without the
    encoder's package); None means the installed package's."""
    value = environ.get(ENV_PREFIX + "ENCODER_DIR")
    return Path(value) if value else None


def current_environ() -> Mapping[str, str]:
    """The process environment (read only when an app is created, never at import)."""
    return os.environ
