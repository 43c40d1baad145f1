"""Configuration: defaults, MODERATION_* variables with types, and clear errors."""

from __future__ import annotations

import pytest

from moderation import config
from moderation.errors import ConfigError


def test_environment_overrides_with_types():
    settings = config.from_env({"MODERATION_SCORER_THREADS": "4", "MODERATION_SCORER_TIMEOUT_S": "2.5",
                                "MODERATION_LOAD_MODEL_AT_START": "no", "MODERATION_SCORER": "unbiased",
                                "PATH": "/bin"})
    assert settings == {"SCORER_THREADS": 4, "SCORER_TIMEOUT_S": 2.5, "LOAD_MODEL_AT_START": False,
                        "SCORER": "unbiased"}


def test_every_numeric_and_yes_no_setting_gets_its_type():
    settings = config.from_env({"MODERATION_QUEUE_CLAIM_MINUTES": "10", "MODERATION_QUEUE_SESSION_HOURS": "1.5",
                                "MODERATION_QUEUE_PAGE_SIZE": " 25 ", "MODERATION_QUEUE_COOKIE_SECURE": "false",
                                "MODERATION_CORAL_BUDGET_MS": "350"})
    assert settings == {"QUEUE_CLAIM_MINUTES": 10, "QUEUE_SESSION_HOURS": 1.5, "QUEUE_PAGE_SIZE": 25,
                        "QUEUE_COOKIE_SECURE": False, "CORAL_BUDGET_MS": 350.0}
    assert isinstance(settings["QUEUE_CLAIM_MINUTES"], int)


@pytest.mark.parametrize(("variable", "value", "expected"), [
    ("MODERATION_QUEUE_COOKIE_SECURE", "maybe", "true or false"),
    ("MODERATION_QUEUE_COOKIE_SECURE", "", "true or false"),  # empty is not "no": the cookie stays secure
    ("MODERATION_SCORER_TIMEOUT_S", "nan", "a number"),
    ("MODERATION_CORAL_BUDGET_MS", "inf", "a number"),
    ("MODERATION_QUEUE_PAGE_SIZE", "1.5", "a whole number"),
    ("MODERATION_CORAL_BUDGET_MS", "fast", "a number"),
])
def test_a_value_of_the_wrong_kind_names_the_variable_and_the_kind(variable, value, expected):
    with pytest.raises(ConfigError, match=f"{variable}='{value}': expected {expected}"):
        config.from_env({variable: value})


@pytest.mark.parametrize("name", ["QUEUE_CLAIM_MINUTES", "QUEUE_PAGE_SIZE", "QUEUE_SESSION_HOURS", "CORAL_BUDGET_MS"])
def test_queue_and_coral_numbers_must_be_positive(tmp_path, name):
    with pytest.raises(ConfigError, match=f"MODERATION_{name} must be at least"):
        config.resolve({**config.DEFAULTS, name: 0}, str(tmp_path))


def test_queue_settings_have_upper_bounds(tmp_path):
    with pytest.raises(ConfigError, match="MODERATION_QUEUE_SESSION_HOURS must be at most 8760"):
        config.resolve({**config.DEFAULTS, "QUEUE_SESSION_HOURS": 1e12}, str(tmp_path))


@pytest.mark.parametrize(("url", "expected"), [
    ("postgres://u@db/news", "postgresql+psycopg://u@db/news"),
    ("postgresql://u@db/news", "postgresql+psycopg://u@db/news"),
    ("postgresql+psycopg://u@db/news", "postgresql+psycopg://u@db/news"),
    ("sqlite:////var/lib/moderation.db", "sqlite:////var/lib/moderation.db"),
])
def test_postgres_urls_as_platforms_write_them_use_the_installed_driver(tmp_path, url, expected):
    assert config.resolve({**config.DEFAULTS, "DATABASE_URL": url}, str(tmp_path))["DATABASE_URL"] == expected


@pytest.mark.parametrize("url", ["moderation", "mysql://u@db/news", "postgresql+psycopg2://u@db/news"])
def test_other_database_urls_are_refused_in_one_line(tmp_path, url):
    with pytest.raises(ConfigError, match="MODERATION_DATABASE_URL=.*give a PostgreSQL URL"):
        config.resolve({**config.DEFAULTS, "DATABASE_URL": url}, str(tmp_path))


def test_trusted_proxies_may_be_zero_but_not_negative(tmp_path):
    assert config.resolve({**config.DEFAULTS, "TRUSTED_PROXIES": 0}, str(tmp_path))["TRUSTED_PROXIES"] == 0
    with pytest.raises(ConfigError, match="MODERATION_TRUSTED_PROXIES must be 0 or more"):
        config.resolve({**config.DEFAULTS, "TRUSTED_PROXIES": -1}, str(tmp_path))


def test_bad_number_names_the_variable():
    with pytest.raises(ConfigError, match="MODERATION_SCORER_THREADS"):
        config.from_env({"MODERATION_SCORER_THREADS": "many"})


def test_instance_placeholder_and_validation(tmp_path):
    resolved = config.resolve(config.DEFAULTS, str(tmp_path))
    assert resolved["DATABASE_URL"] == f"sqlite:///{tmp_path}/moderation.db"
    assert resolved["MODEL_CACHE_DIR"] == f"{tmp_path}/models"
    with pytest.raises(ConfigError, match="MODERATION_SCORER must be one of"):
        config.resolve({**config.DEFAULTS, "SCORER": "gpt"}, str(tmp_path))
    with pytest.raises(ConfigError, match="SCORER_CHECKPOINT"):
        config.resolve({**config.DEFAULTS, "SCORER": "checkpoint"}, str(tmp_path))
    with pytest.raises(ConfigError, match="MAX_COMMENT_CHARS"):
        config.resolve({**config.DEFAULTS, "MAX_COMMENT_CHARS": 0}, str(tmp_path))
    with pytest.raises(ConfigError, match="MODERATION_SCORER_PRECISION must be one of auto, float32, bfloat16, int8"):
        config.resolve({**config.DEFAULTS, "SCORER_PRECISION": "fp8"}, str(tmp_path))


def test_the_queue_time_zone_must_be_a_real_one(tmp_path):
    assert config.resolve({**config.DEFAULTS, "QUEUE_TIMEZONE": "Asia/Kolkata"}, str(tmp_path))["QUEUE_TIMEZONE"] == "Asia/Kolkata"
    with pytest.raises(ConfigError, match="MODERATION_QUEUE_TIMEZONE='IST': give an IANA time zone"):
        config.resolve({**config.DEFAULTS, "QUEUE_TIMEZONE": "IST"}, str(tmp_path))


def test_a_mistyped_variable_is_named_with_the_closest_setting():
    environ = {"MODERATION_SCORER_THREDS": "4", "MODERATION_DATABASE_URL": "sqlite://", "MODERATION_ENCODER_DIR": "/x",
               "MODERATION_INSTANCE_PATH": "/srv", "MODERATION_TEST_DATABASE_URL": "sqlite://", "PATH": "/bin",
               "MODERATION_XYZZY": "1"}
    assert config.unknown_variables(environ) == [("MODERATION_SCORER_THREDS", "MODERATION_SCORER_THREADS"),
                                                 ("MODERATION_XYZZY", None)]


def test_create_app_warns_once_for_each_mistyped_variable(tmp_path, monkeypatch, caplog):
    from moderation import create_app

    environ = {"MODERATION_INSTANCE_PATH": str(tmp_path), "MODERATION_QUEUE_PAGE_SIZ": "10"}
    monkeypatch.setattr(config, "current_environ", lambda: environ)
    with caplog.at_level("WARNING", logger="moderation.config"):
        create_app({"LOAD_MODEL_AT_START": False, "DATABASE_URL": f"sqlite:///{tmp_path}/m.db"})
    warnings = [r.getMessage() for r in caplog.records if r.name == "moderation.config"]
    assert warnings == ["MODERATION_QUEUE_PAGE_SIZ is not a setting of this service and has no effect; "
                        "did you mean MODERATION_QUEUE_PAGE_SIZE?"]


def test_a_mistyped_variable_is_reported_in_one_line_when_a_command_starts(tmp_path):
    """Without any logging set up (a `flask` command), the warning still reaches the operator, on one line."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "MODERATION_INSTANCE_PATH": str(tmp_path), "MODERATION_SCORER_THEADS": "4"}
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "moderation", "--help"],
                          cwd=config.PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stderr.splitlines() if "MODERATION_SCORER_THEADS" in line]
    assert len(lines) == 1 and "MODERATION_SCORER_THREADS" in lines[0]


def test_the_encoder_directory_is_read_through_config(tmp_path, monkeypatch):
    from moderation.scoring.encoder import base_encoder_dir

    assert config.encoder_dir_from({}) is None
    monkeypatch.setenv("MODERATION_ENCODER_DIR", str(tmp_path))
    assert base_encoder_dir() == tmp_path


def test_the_default_rate_limit_lets_a_sites_breaking_news_peak_through():
    """A site's whole comment flow comes through one key: 100 comments a second for a minute must pass."""
    from limits import parse_many

    from moderation.config import DEFAULTS

    for limit in parse_many(DEFAULTS["RATELIMIT_DEFAULT"]):
        assert limit.amount / limit.get_expiry() >= 100
        assert limit.amount >= 100 * min(60, limit.get_expiry())


def test_scoring_mode_and_broker_are_checked(tmp_path):
    assert config.resolve(config.DEFAULTS, str(tmp_path))["SCORING"] == "sync"  # one machine: score in the request
    with pytest.raises(ConfigError, match="MODERATION_SCORING must be one of sync, async, not 'later'"):
        config.resolve({**config.DEFAULTS, "SCORING": "later"}, str(tmp_path))
    with pytest.raises(ConfigError, match="MODERATION_CELERY_BROKER='localhost:6379'"):
        config.resolve({**config.DEFAULTS, "CELERY_BROKER": "localhost:6379"}, str(tmp_path))
    for broker in ("redis://127.0.0.1:6379/0", "amqp://guest@127.0.0.1//"):
        assert config.resolve({**config.DEFAULTS, "CELERY_BROKER": broker}, str(tmp_path))["CELERY_BROKER"] == broker
