"""The layering rules (web -> services -> policy -> scoring -> detectors -> db -> leaves, the services packages,
no Flask below the web layer) are checked mechanically."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken" in result.stdout


def test_importing_the_package_loads_no_model():
    code = "import sys, moderation, moderation.scoring.factory; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_only_config_reads_the_environment():
    """Every MODERATION_* setting is read through moderation/config.py, so it can be validated and a typo reported."""
    package = ROOT / "moderation"
    readers = [str(path.relative_to(ROOT)) for path in package.rglob("*.py")
               if path != package / "config.py" and ("os.environ" in path.read_text() or "getenv" in path.read_text())]
    assert readers == []
