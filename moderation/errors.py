"""Domain exceptions; the API maps them to problem responses, the queue to flash messages."""

from __future__ import annotations


class ModerationError(Exception):
    """Base class of the service's domain errors."""


class ConfigError(ModerationError):
    """The service's configuration is invalid."""


class PolicyError(ModerationError):
    """A policy file is invalid; the message names the file, the clause and the field."""


class ScoringError(ModerationError):
    """The scorer could not score (not loaded, failed or timed out)."""


class ModelIntegrityError(ScoringError):
    """A model file's sha256 does not match the one recorded for it."""
