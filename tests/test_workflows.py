"""The forge's workflows: valid under actionlint, and calling only make targets that exist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from maintainer.paths import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def _make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z][\w-]*):", makefile, flags=re.MULTILINE))


def _run_lines(workflow: Path) -> list[str]:
    jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    return [step["run"] for job in jobs.values() for step in job.get("steps", []) if "run" in step]


def test_workflows_pass_actionlint() -> None:
    assert WORKFLOWS, "no workflow in .github/workflows"
    result = subprocess.run([str(ACTIONLINT), *map(str, WORKFLOWS)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_call_existing_make_targets() -> None:
    targets = _make_targets()
    called = {t for wf in WORKFLOWS for run in _run_lines(wf)
              for cmd in re.findall(r"(?:^|&&|;)\s*make ((?:[\w-]+ ?)+)", run, re.MULTILINE) for t in cmd.split()}
    assert {"test-fast", "test", "book"} <= called, called
    assert called <= targets, f"workflows call undefined make targets: {called - targets}"


def test_dependabot_watches_every_pinned_ecosystem() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert ecosystems == {"pip", "npm", "github-actions"}
