"""Release an edition: ``make release VERSION=1.2.0 DATE=2027-01-31`` (``python -m maintainer.release``).

The only step that changes the edition. In order, and stopping at the first refusal:

1. the version must look like 1.2.3 and be newer than the edition in ``CITATION.cff``; the date
   an ISO date (default: today, UTC);
2. the git working tree must be clean (``git status --porcelain`` prints nothing), so that the
   edition is exactly a commit;
3. ``CITATION.cff`` gets the new ``version`` and ``date-released`` (and its ``preferred-citation``
   the edition, year and month), ``.zenodo.json`` is written from it;
4. the test command runs (``make test`` unless ``--test-command`` says otherwise), which builds
   the book and its PDF with the new edition; if it fails, both files are put back as they were
   and the release is refused;
5. the build's manifest (``_build/html/_manifest.json``), with the rows and sources of the data it
   read, is kept as ``editions/<version>/manifest.json``: the next edition's "What changed" page
   compares with it;
6. the three files are committed ("Edition <version> of <date>") and tagged ``v<version>``
   (annotated). Pushing the tag starts ``.github/workflows/release.yml``.

Exit codes: 0 released; 1 refused (the reason is printed); 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

from .changes_page import MANIFEST_NAME, data_folder, edition_manifest, version_key
from .edition import VERSION, EditionError, read_edition, zenodo_text
from .paths import ROOT


class Refused(Exception):
    """The release cannot go ahead; the message says why."""


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
    if result.returncode:
        raise Refused(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def set_edition(cff_text: str, version: str, date: dt.date) -> str:
    """``CITATION.cff``'s text with the new edition (only these lines change; comments stay)."""
    replacements = [
        (r"^version: .*$", f'version: "{version}"'),
        (r"^date-released: .*$", f'date-released: "{date.isoformat()}"'),
        (r"^(  edition: ).*$", rf'\g<1>"{version}"'),
        (r"^(  year: ).*$", rf"\g<1>{date.year}"),
        (r"^(  month: ).*$", rf"\g<1>{date.month}"),
    ]
    text = cff_text
    for pattern, replacement in replacements:
        text, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
        if count != 1:
            raise Refused(f"CITATION.cff has no line matching {pattern!r}")
    return text


def release(version: str, date: dt.date, test_command: list[str], root: Path = ROOT) -> Path:
    """Release ``version`` of ``date`` in the repository at ``root``; the kept manifest's path."""
    cff, zenodo = root / "CITATION.cff", root / ".zenodo.json"
    if not VERSION.match(version):
        raise Refused(f"VERSION must look like 1.2.3, not {version!r}")
    try:
        current = read_edition(cff)
    except EditionError as error:
        raise Refused(str(error)) from error
    if version_key(version) <= version_key(current.version):
        raise Refused(f"VERSION {version} is not newer than the current edition {current.version}")
    dirty = _git(root, "status", "--porcelain")
    if dirty.strip():
        raise Refused("the git working tree is not clean; commit or stash first:\n" + dirty.rstrip())

    before = {path: path.read_text(encoding="utf-8") if path.is_file() else None for path in (cff, zenodo)}
    cff.write_text(set_edition(before[cff] or "", version, date), encoding="utf-8")
    edition = read_edition(cff)
    zenodo.write_text(zenodo_text(edition, cff), encoding="utf-8")
    print(f"Edition {version} of {edition.date_text}: running {shlex.join(test_command)}", flush=True)
    result = subprocess.run(test_command, cwd=root)
    if result.returncode:
        for path, text in before.items():
            if text is None:
                path.unlink(missing_ok=True)
            else:
                path.write_text(text, encoding="utf-8")
        raise Refused(
            f"the tests failed ({shlex.join(test_command)} exited {result.returncode}); "
            "CITATION.cff and .zenodo.json are unchanged"
        )

    built = root / "_build" / "html" / "_manifest.json"
    if not built.is_file():
        raise Refused(f"{built} is missing: the test command must build the book")
    kept = root / "editions" / version / MANIFEST_NAME
    kept.parent.mkdir(parents=True, exist_ok=True)
    manifest = edition_manifest(json.loads(built.read_text(encoding="utf-8")), edition, data_folder(root))
    kept.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    _git(root, "add", "CITATION.cff", ".zenodo.json", str(kept.relative_to(root)))
    _git(root, "commit", "--quiet", "-m", f"Edition {version} of {date.isoformat()}")
    _git(root, "tag", "-a", f"v{version}", "-m", f"Edition {version} of {edition.date_text}")
    return kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Release an edition of the book (see maintainer/release.py).")
    parser.add_argument("--version", required=True, help="the new edition, e.g. 1.2.0")
    parser.add_argument("--date", default=dt.datetime.now(dt.UTC).date().isoformat(), help="ISO date (default today)")
    parser.add_argument("--test-command", default="make test", help="what must pass first (default: make test)")
    args = parser.parse_args(argv)
    try:
        date = dt.date.fromisoformat(args.date)
    except ValueError:
        parser.error(f"--date must be an ISO date like 2027-01-31, not {args.date!r}")
    try:
        kept = release(args.version, date, shlex.split(args.test_command))
    except Refused as error:
        print(f"release refused: {error}", file=sys.stderr)
        return 1
    print(f"Released edition {args.version}: kept {kept.relative_to(ROOT)}, committed and tagged v{args.version}.")
    print(f"Publish it with: git push origin HEAD v{args.version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
