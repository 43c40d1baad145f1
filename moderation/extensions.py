"""Per-app resources: the scorer and the loaded policies (and, later, the database engine)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app

from moderation.policy.loader import load_policies
from moderation.policy.model import Policy
from moderation.scoring.base import Scorer
from moderation.scoring.factory import build_scorer

log = logging.getLogger(__name__)


@dataclass
class Resources:
    """What an app instance holds for its whole life (one per worker process)."""

    scorer: Scorer
    policies: dict[str, Policy] = field(default_factory=dict)
    default_policy: str = "default"


def init_app(app: Flask) -> None:
    """Load policies (fail fast on a bad file), build the scorer and, if configured, load the model now."""
    policies = load_policies(Path(app.config["POLICY_DIR"]))
    scorer = build_scorer(app.config)
    app.extensions["moderation"] = Resources(scorer=scorer, policies=policies, default_policy=app.config["DEFAULT_POLICY"])
    if app.config["LOAD_MODEL_AT_START"]:
        scorer.load()


def resources() -> Resources:
    """The current app's resources."""
    res: Resources = current_app.extensions["moderation"]
    return res


def get_scorer() -> Scorer:
    """The app's scorer (loaded once per process)."""
    return resources().scorer


def get_policy(name: str | None = None) -> Policy:
    """A policy by name, the configured default when no name is given."""
    res = resources()
    return res.policies[name or res.default_policy]
