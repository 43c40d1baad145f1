"""Calibration from decisions: a simulated newsroom whose moderators hold personal attacks to a stricter line than
the default policy (moderation/benchmarks/calibration.py), the calibration file a policy names, the minimum."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moderation.enums import Action
from moderation.errors import PolicyError
from moderation.policy.evaluate import Signals, evaluate
from moderation.policy.loader import load_policy
from moderation.policy.model import Named


@pytest.fixture
def simulated(app, policy):
    from moderation.benchmarks.calibration import seed_newsroom
    from moderation.extensions import get_engine

    with app.app_context():
        return seed_newsroom(get_engine(), 1200, policy)


def test_calibration_moves_the_disagreeing_clause_toward_the_moderators(app, policy):
    from moderation.benchmarks.calibration import simulate
    from moderation.db import migrate
    from moderation.db.session import make_engine

    engine = make_engine("sqlite://")  # its own in-memory database: the simulation is the whole history
    migrate.upgrade(engine)
    figures = simulate(engine, 1500, policy)
    assert figures["skipped"] is None and figures["held_out"] > 100
    # Held-out decisions only: the moderators remove personal attacks from 0.75, the policy holds from 0.5.
    assert figures["after"]["agreement"] - figures["before"]["agreement"] > 0.25
    assert figures["after"]["brier"] < figures["before"]["brier"]
    assert 0.65 < figures["advice_precision_0.9"]["threshold"] < 0.8


def test_calibrate_writes_a_file_that_a_policy_names(app, runner, simulated, tmp_path, policy):
    out = tmp_path / "calibrations"
    result = runner.invoke(args=["moderation", "calibrate", "--site", simulated, "--out-dir", str(out),
                                 "--precision", "0.9"])
    assert result.exit_code == 0, result.output
    assert "personal_attack" in result.stdout and "advice personal_attack (personal_attack)" in result.stdout
    files = list(out.glob("*.json"))
    assert len(files) == 1
    data = json.loads(files[0].read_text(encoding="utf-8"))
    assert data["name"] == files[0].stem and data["site"] == simulated and set(data["labels"]) == {"personal_attack"}
    assert data["minimum"] == {"decisions": 60, "each_way": 15, "held_out_percent": 25}
    # Nothing changes until a policy names it; then its thresholds read the moderators' scale.
    source = tmp_path / "default.toml"
    source.write_text(Path(policy.source).read_text(encoding="utf-8").replace(
        'version = "', f'calibration = "{data["name"]}"\nversion = "calibrated-', 1), encoding="utf-8")
    calibrated = load_policy(source)
    assert calibrated.calibration is not None and calibrated.calibration.name == data["name"]
    model = Named("fixed", "1")
    for score, before, after in ((0.6, Action.REVIEW, Action.PUBLISH), (0.95, Action.REVIEW, Action.REVIEW)):
        signals = Signals({"personal_attack": score})
        assert evaluate(policy, signals, model).action is before
        assert evaluate(calibrated, signals, model).action is after


def test_too_few_decisions_fit_nothing_and_say_the_minimum(app, runner, db, submit, site, tmp_path):
    from tests.services.newsroom import build_newsroom

    build_newsroom(db, submit, app.extensions["moderation"].policies, site)
    db.commit()
    out = tmp_path / "calibrations"
    result = runner.invoke(args=["moderation", "calibrate", "--site", "Daily Chronicle", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    # personal_attack: removed c1, c5, c7 (legal), approved c2 and c4 (tests/services/newsroom.py).
    assert "personal_attack  not fitted: 5 decisions (3 removals); a fit needs 60, with 15 each way" in result.stdout
    assert "no file written" in result.output and not out.exists()


def test_a_policy_naming_a_missing_calibration_is_refused(tmp_path, policy):
    source = tmp_path / "p.toml"
    source.write_text(Path(policy.source).read_text(encoding="utf-8").replace(
        'version = "', 'calibration = "nope-1"\nversion = "', 1), encoding="utf-8")
    with pytest.raises(PolicyError, match="nope-1.json"):
        load_policy(source)
