"""Which `flask` commands load the model as the app starts: serving does, admin commands do not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from moderation.cli import command_settings

ROOT = Path(__file__).resolve().parents[2]
CLI = {"FLASK_RUN_FROM_CLI": "true"}


@pytest.mark.parametrize(("argv", "loads"), [
    (["flask", "--app", "wsgi", "run"], True),
    (["flask", "-A", "wsgi", "--debug", "run", "--port", "5001"], True),
    (["flask", "--app=wsgi", "run"], True),
    (["flask", "--app", "wsgi", "moderation", "list-users"], False),
    (["flask", "--env-file", ".env", "moderation", "db", "upgrade"], False),
    (["flask", "--app", "wsgi", "shell"], False),
    (["flask", "--app", "wsgi", "--help"], False),
])
def test_only_flask_run_loads_the_model_at_start(argv, loads):
    assert command_settings(argv, CLI).get("LOAD_MODEL_AT_START", True) is loads


def test_servers_and_an_explicit_setting_are_left_alone():
    assert command_settings(["gunicorn", "wsgi:app"], {}) == {}  # not the flask command: serve as configured
    explicit = {**CLI, "MODERATION_LOAD_MODEL_AT_START": "true"}
    assert command_settings(["flask", "--app", "wsgi", "moderation", "list-users"], explicit) == {}


def test_an_admin_command_runs_without_touching_the_model(tmp_path):
    """With a model that cannot load (its checkpoint is missing), account commands still work; serving would not."""
    env = {**os.environ, "MODERATION_INSTANCE_PATH": str(tmp_path), "MODERATION_SCORER": "checkpoint",
           "MODERATION_SCORER_CHECKPOINT": str(tmp_path / "missing.ckpt"),
           "MODERATION_SCORER_CONFIG_DIR": str(tmp_path / "missing")}
    env.pop("MODERATION_LOAD_MODEL_AT_START", None)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "moderation"]
    for args in (["db", "upgrade"], ["list-users"]):
        done = subprocess.run([*flask, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    served = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert served.returncode != 0 and "missing.ckpt" in served.stderr
