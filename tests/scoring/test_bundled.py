"""Assembling the bundled checkpoint: every file is hash-checked before torch.load."""

from __future__ import annotations

import shutil

import pytest

from moderation.errors import ModelIntegrityError
from moderation.scoring import bundled


@pytest.fixture(scope="module")
def assembled(tmp_path_factory):
    return bundled.assemble(tmp_path_factory.mktemp("cache"))


def test_assembly_writes_a_detoxify_checkpoint(assembled):
    manifest = bundled.read_manifest()
    assert assembled.checkpoint.exists()
    assert (assembled.config_dir / "config.json").exists()
    assert (assembled.config_dir / "vocab.txt").exists()
    assert assembled.version == manifest["version"]
    recorded = (assembled.checkpoint.parent / (bundled.CHECKPOINT_NAME + ".sha256")).read_text().strip()
    assert recorded == bundled.sha256_file(assembled.checkpoint)


def test_second_use_reuses_the_cache(assembled):
    before = assembled.checkpoint.stat().st_mtime_ns
    again = bundled.assemble(assembled.config_dir.parent)
    assert again.checkpoint.stat().st_mtime_ns == before


def test_tampered_checkpoint_is_refused(assembled, tmp_path):
    copy = tmp_path / "cache"
    shutil.copytree(assembled.config_dir.parent, copy)
    target = copy / assembled.config_dir.name / bundled.CHECKPOINT_NAME
    with open(target, "r+b") as handle:
        handle.seek(1000)
        byte = handle.read(1)
        handle.seek(1000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelIntegrityError, match="assembled checkpoint"):
        bundled.assemble(copy)


def test_tampered_weights_are_refused(tmp_path):
    weights = tmp_path / "weights"
    shutil.copytree(bundled.WEIGHTS_DIR, weights)
    with open(weights / bundled.WEIGHTS_NAME, "ab") as handle:
        handle.write(b"\0")
    with pytest.raises(ModelIntegrityError, match="trained weights"):
        bundled.assemble(tmp_path / "cache", weights_dir=weights)


def test_committed_weights_stay_small():
    """Trained tensors in the working tree stay within 40 MB (a model round replaces them)."""
    total = sum(p.stat().st_size for p in bundled.WEIGHTS_DIR.iterdir())
    assert total <= 40 * 1024 * 1024


def test_concurrent_first_use_builds_once(tmp_path):
    """Worker processes starting together on an empty cache all get the same verified checkpoint."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        results = pool.map(bundled.assemble, [tmp_path, tmp_path])
    assert results[0] == results[1]
    assert results[0].checkpoint.exists()
    assert not list(tmp_path.glob("*.partial"))


def test_trained_weights_elsewhere_can_be_configured(app, tmp_path):
    """A candidate from `flask moderation train --out DIR` is evaluated by pointing the bundled scorer at DIR."""
    import json

    from moderation.errors import ConfigError
    from moderation.scoring.factory import build_scorer

    with pytest.raises(ConfigError, match="MODERATION_BUNDLED_WEIGHTS_DIR.*holds no trained weights"):
        build_scorer({**app.config, "BUNDLED_WEIGHTS_DIR": str(tmp_path)})
    candidate = tmp_path / "candidate"
    shutil.copytree(bundled.WEIGHTS_DIR, candidate)
    spec = json.loads((candidate / "ensemble.json").read_text())
    spec["ngram_sha256"] = "0" * 64  # the configured directory, not the package's, is the one read
    (candidate / "ensemble.json").write_text(json.dumps(spec))
    scorer = build_scorer({**app.config, "BUNDLED_WEIGHTS_DIR": str(candidate), "MODEL_CACHE_DIR": str(tmp_path / "cache")})
    assert scorer.version.split(".")[-1] != build_scorer(app.config).version.split(".")[-1]
    with pytest.raises(ModelIntegrityError, match="ngram.npz"):
        scorer.load()
