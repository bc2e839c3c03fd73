"""The command: fetch, check, validate and replace (:func:`refresh`), and its command line (:func:`main`).

Usage, options and exit status: the docstring of :mod:`maintainer.refresh`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from iomun import data

from ..data_lock import DataLocked, check_writable, data_lock
from .checks import MAX_JUMP, change_table, check_ceilings, compare, jumps
from .desa import DEFAULT_DESA_URL, fetch_desa
from .files import (
    read_rows,
    register_sources,
    remove_stale_candidates,
    staged_package,
    validate_candidate,
    write_candidate,
)
from .release import RESOURCE, YEAR_FROM, merge
from .transport import Budget, Limits, RefreshError, make_session, terminal_safe
from .unhcr import DEFAULT_UNHCR_BASE, fetch_unhcr

EXIT_OK, EXIT_ERROR, EXIT_REFUSED = 0, 1, 3


def refresh(options: argparse.Namespace) -> int:
    """Fetch, merge, compare, validate and (unless refused) replace; return the exit status.

    The whole run, from the first read of the data to the last replace, holds the data
    folder's lock (:mod:`maintainer.data_lock`): a second refresh or a compile at the same
    time is refused instead of losing this one's rows.
    """
    data_dir = Path(options.data_dir)
    try:
        check_writable(data_dir)
        with data_lock(data_dir):
            return _refresh(options, data_dir)
    except DataLocked as exc:
        raise RefreshError(str(exc)) from exc


def _refresh(options: argparse.Namespace, data_dir: Path) -> int:
    """:func:`refresh` once the data folder is locked."""
    target = data_dir / data.resource_descriptor(RESOURCE, data_dir)["path"]
    try:
        data.validate_file(RESOURCE, target, data_dir)
    except data.DataError as exc:
        raise RefreshError(f"the current data are invalid, fix them first: {exc}") from exc
    remove_stale_candidates(target)
    header, old_rows = read_rows(target)
    session = make_session(options.retries, options.backoff)
    limits = Limits(
        options.timeout,
        options.deadline,
        options.max_bytes,
        options.max_unpacked,
        Budget(options.total_bytes, options.total_time),
    )
    releases = []
    print("downloaded:")
    if options.only in (None, "unhcr"):
        releases.append(fetch_unhcr(session, options.unhcr_base, options.year_to, limits))
    if options.only in (None, "desa"):
        releases.append(fetch_desa(session, options.desa_url, options.desa_file, limits))
    check_ceilings(releases)
    new_rows = merge(old_rows, releases)
    refreshed = {s for r in releases for s in r.series}
    changes = compare(old_rows, new_rows, refreshed)
    refused = [c for c in changes if c.beyond(options.tolerance)]
    jumped = jumps(new_rows, refreshed, options.max_jump) if changes else []
    print(f"changes to {target}:")
    print(change_table(changes, options.tolerance))
    for line in jumped:
        print(f"  JUMP {line}")
    candidate = write_candidate(target, header, new_rows)
    try:
        with staged_package(data_dir, releases) as staged:
            validate_candidate(candidate, target, new_rows, releases, staged)
        if not changes or candidate.read_bytes() == target.read_bytes():  # same values: keep their citation
            print(f"{target}: already up to date, left as is")
            return EXIT_OK
        if refused and not options.force:
            print(
                f"refresh: refused: {len(refused)} value(s) of years already in {target} move "
                f"by more than {options.tolerance:.0%} or disappear (marked in the table); "
                f"check the release, then rerun with --force to accept; {target} left unchanged",
                file=sys.stderr,
            )
            return EXIT_REFUSED
        if jumped and not options.force:
            print(
                f"refresh: refused: {len(jumped)} value(s) jump by more than a factor of "
                f"{options.max_jump:g} from the previous year (marked JUMP); check the release, "
                f"then rerun with --force to accept; {target} left unchanged",
                file=sys.stderr,
            )
            return EXIT_REFUSED
        register_sources(data_dir, releases)  # first, so the data never cite an unknown source
        os.replace(candidate, target)
    finally:
        candidate.unlink(missing_ok=True)
    data.clear_cache()
    forced = f", {len(refused)} beyond the tolerance accepted with --force" if refused else ""
    print(f"{target}: replaced ({len(changes)} change(s){forced})")
    cited = sorted({release.source_id for release in releases})
    print(
        f"note: the new rows cite {', '.join(cited)} (in data/sources.csv); check its notes, "
        "and the descriptions of the refreshed series in data/datapackage.json"
    )
    return EXIT_OK


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m maintainer.refresh",
        description="Refresh data/world_populations.csv from the UNHCR population API and the "
        "UN DESA International Migrant Stock 2024 workbook. Never overwrites good data with bad.",
    )
    parser.add_argument("--only", choices=("unhcr", "desa"), help="refresh one service only")
    parser.add_argument(
        "--force", action="store_true", help="accept moves of years already in the file beyond the tolerance"
    )
    parser.add_argument(
        "--tolerance", type=_fraction, default=0.05, help="largest accepted relative move of a past year (default 0.05)"
    )
    parser.add_argument(
        "--unhcr-base", default=DEFAULT_UNHCR_BASE, help=f"UNHCR API base URL (default {DEFAULT_UNHCR_BASE})"
    )
    desa = parser.add_mutually_exclusive_group()
    desa.add_argument(
        "--desa-url", default=DEFAULT_DESA_URL, help="URL of the DESA workbook (default: the 2024 revision on un.org)"
    )
    desa.add_argument("--desa-file", type=Path, help="a DESA workbook already downloaded (un.org may refuse scripts)")
    parser.add_argument(
        "--data-dir", type=Path, default=data.DATA_DIR, help="the data package folder to update (default: data/)"
    )
    parser.add_argument(
        "--year-to",
        type=_year,
        default=dt.date.today().year - 1,
        help="last UNHCR year asked for (default: last calendar year)",
    )
    parser.add_argument(
        "--timeout", type=_seconds, default=60.0, help="seconds to wait for a connection or for data (default 60)"
    )
    parser.add_argument(
        "--deadline",
        type=_seconds,
        default=Limits.deadline,
        help=f"seconds a whole download may take (default {Limits.deadline:g})",
    )
    parser.add_argument(
        "--max-bytes",
        type=_size,
        default=Limits.max_bytes,
        help=f"largest accepted payload, decompressed (default {Limits.max_bytes:,})",
    )
    parser.add_argument(
        "--max-unpacked",
        type=_size,
        default=Limits.max_unpacked,
        help=f"largest accepted unpacked size of a workbook's members (default {Limits.max_unpacked:,})",
    )
    parser.add_argument(
        "--total-bytes",
        type=_size,
        default=Budget.total_bytes,
        help=f"largest accepted sum of all payloads of one refresh (default {Budget.total_bytes:,})",
    )
    parser.add_argument(
        "--total-time",
        type=_seconds,
        default=Budget.total_time,
        help=f"seconds all downloads of one refresh may take (default {Budget.total_time:g})",
    )
    parser.add_argument(
        "--max-jump",
        type=_factor,
        default=MAX_JUMP,
        help=f"largest accepted year-on-year factor of a series without --force (default {MAX_JUMP:g})",
    )
    parser.add_argument(
        "--retries", type=_count, default=3, help="retries of a failed GET, with exponential back-off (default 3)"
    )
    parser.add_argument("--backoff", type=_non_negative, default=1.0, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _fraction(text: str) -> float:
    value = _number(text, float, "a fraction such as 0.05")
    if not 0 <= value < 1:
        raise argparse.ArgumentTypeError(f"{terminal_safe(text)}: give a fraction such as 0.05")
    return value


def _number(text: str, kind: type, what: str) -> float:
    """``text`` as a finite ``kind``, or a usage error saying what to give (text shown escaped)."""
    try:
        value = kind(text)
    except (ValueError, OverflowError):
        value = None
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"{terminal_safe(text)[:40]!r}: give {what}")
    return value


def _bounded(kind: type, low: float, high: float, what: str):  # noqa: ANN202 - an argparse type
    def parse(text: str) -> float:
        value = _number(text, kind, what)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{terminal_safe(text)[:40]!r}: give {what}")
        return value

    return parse


_year = _bounded(int, YEAR_FROM, dt.date.today().year, f"a year from {YEAR_FROM} to {dt.date.today().year}")
_seconds = _bounded(float, 0.001, 7 * 24 * 3600, "a number of seconds above 0 (up to a week)")
_non_negative = _bounded(float, 0, 3600, "a number of seconds from 0 to 3600")
_size = _bounded(int, 1, 2**40, "a number of bytes from 1 to 2**40")
_count = _bounded(int, 0, 100, "a whole number from 0 to 100")
_factor = _bounded(float, 1, 1e6, "a factor from 1 up")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the refresh; print one line to stderr and return non-zero on any failure."""
    options = parse_args(argv)
    try:
        return refresh(options)
    except (RefreshError, data.DataError, OSError) as exc:
        # Messages carry text from servers and files: escaped, never sent raw to a terminal.
        target = Path(options.data_dir) / f"{RESOURCE}.csv"
        print(terminal_safe(f"refresh: error: {exc}; {target} left unchanged"), file=sys.stderr)
        return EXIT_ERROR
