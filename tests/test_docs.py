"""The README stays a front page: short, and its test command is the one CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_is_at_most_150_lines():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 150


def test_ci_runs_the_readmes_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    setup, tests = re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests.split(" && ", 1)[1] in ci  # after installing the dev extra, which CI does in its own step
    assert "flask --app wsgi run" in setup


def test_the_readmes_links_lead_somewhere():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#]+)\)", readme):
        assert (ROOT / target).exists(), target
