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
