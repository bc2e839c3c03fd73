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
    result = subprocess.run([str(ACTIONLINT), *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_call_existing_make_targets() -> None:
    targets = _make_targets()
    called = {
        t
        for wf in WORKFLOWS
        for run in _run_lines(wf)
        for cmd in re.findall(r"(?:^|&&|;)\s*make ((?:[\w-]+ ?)+)", run, re.MULTILINE)
        for t in cmd.split()
    }
    assert {"test-fast", "test", "book"} <= called, called
    assert called <= targets, f"workflows call undefined make targets: {called - targets}"


def test_dependabot_watches_every_pinned_ecosystem() -> None:
    config = yaml.safe_load((ROOT / ".github" / "dependabot.yml").read_text(encoding="utf-8"))
    ecosystems = {update["package-ecosystem"] for update in config["updates"]}
    assert ecosystems == {"pip", "npm", "github-actions"}


_PINNED = re.compile(r"^\s*(?:-\s+)?uses:\s*[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*\s*$")


def test_every_action_is_pinned_by_commit_with_its_tag_in_a_comment() -> None:
    lines = [
        (wf.name, line)
        for wf in WORKFLOWS
        for line in wf.read_text(encoding="utf-8").splitlines()
        if re.match(r"^\s*(?:-\s+)?uses:", line)
    ]
    assert lines
    unpinned = [(name, line.strip()) for name, line in lines if not _PINNED.match(line)]
    assert not unpinned, f"actions not pinned by a commit SHA with '# vX': {unpinned}"


def _jobs(workflow: Path) -> dict[str, dict]:
    return yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]


def test_checkout_keeps_no_credentials() -> None:
    checkouts = [
        (wf.name, step)
        for wf in WORKFLOWS
        for job in _jobs(wf).values()
        for step in job["steps"]
        if str(step.get("uses", "")).startswith("actions/checkout@")
    ]
    assert checkouts and all(step.get("with", {}).get("persist-credentials") is False for _, step in checkouts), [
        name for name, step in checkouts if step.get("with", {}).get("persist-credentials") is not False
    ]


def test_publishing_builds_and_tests_without_write_permissions_and_deploys_only() -> None:
    workflow = ROOT / ".github" / "workflows" / "publish.yml"
    document = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert document.get("permissions") == {}, "the workflow grants nothing by default"
    writes = {"write"}
    for name, job in document["jobs"].items():
        granted = set((job.get("permissions") or {}).values())
        runs = [step["run"] for step in job["steps"] if "run" in step]
        if granted & writes:  # a job that can publish runs nothing from the repository
            assert not runs and all("uses" in step for step in job["steps"]), name
            assert [s["uses"].split("@")[0] for s in job["steps"]] == ["actions/deploy-pages"], name
        if runs:
            assert any(re.search(r"\bmake test\b", run) for run in runs), f"{name} builds without testing"
    deploy = document["jobs"]["deploy"]
    assert deploy["needs"] == "build" and set(deploy["permissions"]) == {"pages", "id-token"}


def test_a_pull_request_keeps_its_built_site_as_a_preview() -> None:
    """After the book job builds and tests the site, a reviewer can download it from the run."""
    steps = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text(encoding="utf-8"))["jobs"][
        "book"
    ]["steps"]
    built = next(i for i, step in enumerate(steps) if step.get("run") == "make test")
    uploads = [
        step
        for step in steps[built + 1 :]
        if step.get("uses", "").startswith("actions/upload-artifact@") and "if" not in step
    ]
    assert [step["with"]["path"].rstrip("/") for step in uploads] == ["_build/html"]
    assert uploads[0]["with"]["if-no-files-found"] == "error"


def test_code_is_formatted_before_commit_and_in_ci() -> None:
    """ruff format runs in pre-commit and in the make targets CI calls, and the code is formatted."""
    hooks = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))["repos"][0]["hooks"]
    assert any(hook["entry"].startswith(".venv/bin/ruff format") for hook in hooks)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("test-fast", "test"):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE).group(1)
        assert "ruff format --check ." in recipe, target
    result = subprocess.run(
        [str(Path(sys.executable).parent / "ruff"), "format", "--check", "."],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
