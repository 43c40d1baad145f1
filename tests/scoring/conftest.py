"""Fixtures for the scoring engine: the app's real scorer and policy."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def scorer(app):
    from moderation.extensions import get_scorer

    with app.app_context():
        return get_scorer()


@pytest.fixture(scope="session")
def policy(app):
    from moderation.extensions import get_policy

    with app.app_context():
        return get_policy()
