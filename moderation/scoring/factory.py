"""Building the configured scorer: the bundled model, a published detoxify model, or a local checkpoint."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from moderation.errors import ConfigError
from moderation.scoring import bundled
from moderation.scoring.base import Scorer
from moderation.scoring.detoxify_scorer import DetoxifyScorer
from moderation.scoring.ensemble import EnsembleScorer

#: detoxify's published checkpoints (downloaded by detoxify on first use; needs internet access).
PUBLISHED = {
    "original": "toxic_original-c1212f89",
    "unbiased": "toxic_debiased-c7548aa0",
    "multilingual": "multilingual_debiased-0b549669",
}


def build_scorer(config: Mapping[str, Any]) -> Scorer:
    """The scorer named by config["SCORER"]; nothing is loaded until `load()`."""
    kind = config["SCORER"]
    common = _common(config)
    if kind == "bundled":
        weights = Path(config.get("BUNDLED_WEIGHTS_DIR") or bundled.WEIGHTS_DIR)
        return EnsembleScorer(bundled_encoder(config, weights, heads=True), weights)
    if kind == "checkpoint":
        checkpoint, config_dir = str(config["SCORER_CHECKPOINT"]), str(config["SCORER_CONFIG_DIR"])
        return DetoxifyScorer(
            name=f"checkpoint:{Path(checkpoint).name}", version=_file_version(Path(checkpoint)),
            locate=lambda: (checkpoint, config_dir), **common,
        )
    return DetoxifyScorer(name=f"detoxify-{kind}", version=PUBLISHED[kind], model_type=kind, **common)


def bundled_encoder(config: Mapping[str, Any], weights: Path, *, heads: bool) -> DetoxifyScorer:
    """The bundled encoder alone (with its clause heads, when `heads`), as the bundled scorer runs it."""
    if not (weights / bundled.MANIFEST_NAME).is_file():
        raise ConfigError(f"MODERATION_BUNDLED_WEIGHTS_DIR={str(weights)!r} holds no trained weights "
                          f"({bundled.MANIFEST_NAME}); `flask moderation train --out DIR` writes them")
    manifest = bundled.read_manifest(weights)
    cache = Path(config["MODEL_CACHE_DIR"])

    def locate() -> tuple[str | None, str | None]:
        assembled = bundled.assemble(cache, weights)
        return str(assembled.checkpoint), str(assembled.config_dir)

    return DetoxifyScorer(
        name=manifest["name"], version=manifest["version"], locate=locate, window=int(manifest["max_length"]),
        heads=bundled.clause_heads(weights) if heads else None, **_common(config),
    )


def _common(config: Mapping[str, Any]) -> dict[str, Any]:
    return {"threads": int(config["SCORER_THREADS"]), "batch_size": int(config["SCORER_BATCH_SIZE"]),
            "precision": str(config.get("SCORER_PRECISION", "auto")), "cache_dir": Path(config["MODEL_CACHE_DIR"])}


def _file_version(path: Path) -> str:
    """Size and modification time identify a local checkpoint without reading it at start-up."""
    stat = path.stat() if path.exists() else None
    return f"{stat.st_size}-{int(stat.st_mtime)}" if stat else "missing"
