"""The bundled model: committed trained tensors + the packaged encoder, assembled into a detoxify checkpoint."""

from __future__ import annotations

WEIGHTS_NAME = "minilm-toxic.safetensors"
MANIFEST_NAME = "minilm-toxic.json"
