"""What an operator reads when the int8 export of a model fails: the cause, not a cut-off traceback."""

from __future__ import annotations

import subprocess

import pytest

from moderation.scoring import onnx_int8

_OFFLINE = """Traceback (most recent call last):
  File "/venv/lib/python3.11/site-packages/detoxify/detoxify.py", line 104, in load_checkpoint
    loaded = torch.hub.load_state_dict_from_url(checkpoint, map_location=device)
urllib.error.URLError: <urlopen error [Errno -2] Name or service not known>
"""


def _failing(stderr: str):
    def run(command, **kwargs):  # noqa: ANN001, ANN003
        return subprocess.CompletedProcess(command, 1, stdout="", stderr=stderr)

    return run


def test_a_published_model_that_cannot_be_downloaded_says_it_needs_internet_access(tmp_path, monkeypatch):
    monkeypatch.setattr(onnx_int8.subprocess, "run", _failing(_OFFLINE))
    with pytest.raises(RuntimeError, match=r"detoxify's 'unbiased' model could not be downloaded \(it needs internet"):
        onnx_int8._export_in_child(tmp_path / "m.onnx", None, None, "unbiased")


def test_another_failure_leads_with_its_exception_and_never_cuts_a_line(tmp_path, monkeypatch):
    stderr = "\n".join(f"  frame {i} " + "x" * 150 for i in range(40)) + "\nValueError: bad checkpoint"
    monkeypatch.setattr(onnx_int8.subprocess, "run", _failing(stderr))
    with pytest.raises(RuntimeError) as info:
        onnx_int8._export_in_child(tmp_path / "m.onnx", "ckpt.pt", "cfg", "bert")
    first, *rest = str(info.value).splitlines()
    assert first == "exporting the int8 model failed: ValueError: bad checkpoint"
    assert all(line.startswith(("  frame", "ValueError")) for line in rest) and len(str(info.value)) < 2200
