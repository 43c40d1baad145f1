"""Opening a detoxify model: its own module so the int8 exporter need not import the scorer, which imports it."""

from __future__ import annotations

from typing import Any


def open_detoxify(checkpoint: str | None, config_dir: str | None, model_type: str) -> Any:
    """A `detoxify.Detoxify` from a local checkpoint and config directory, or a published model by name."""
    from detoxify import Detoxify

    if checkpoint:
        return Detoxify(checkpoint=checkpoint, huggingface_config_path=config_dir)
    return Detoxify(model_type=model_type)
