"""Refresh ``data/world_populations.csv`` from the official services, never overwriting good data.

Usage (from the repository root)::

    python -m maintainer.refresh                      # UNHCR API and UN DESA workbook
    python -m maintainer.refresh --only unhcr         # or --only desa
    python -m maintainer.refresh --force              # accept past-year moves beyond the tolerance
    python -m maintainer.refresh --desa-file ~/Downloads/undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx

Options: ``--tolerance 0.05`` (largest accepted relative move of a year already in the file),
``--unhcr-base URL``, ``--desa-url URL`` or ``--desa-file PATH`` (a workbook downloaded with a
browser), ``--data-dir DIR`` (another copy of ``data/``), ``--year-to YEAR`` (last UNHCR year,
default last calendar year: end-year figures appear in June of the next year), ``--timeout S``
and ``--retries N`` (bounded retries of connection errors, read timeouts and HTTP 429/5xx, with
exponential back-off, by ``urllib3.util.Retry`` on the ``requests`` adapter).

Against hostile or broken servers: only the years asked for are kept (others are reported
and dropped); a world total above ``PERSONS_CEILING`` is an error even with ``--force``, and a
value more than ``--max-jump`` (3) times above or below the previous year of its series is
refused unless ``--force``; all downloads of one run together are bounded by ``--total-bytes``
(256 MiB) and ``--total-time`` (1800 s), however many pages a server announces; each
download has a total ``--deadline`` (600 s) besides the
per-read ``--timeout``, is streamed and cut at ``--max-bytes`` (64 MiB, counted after gzip or
deflate decoding, which is done here in bounded steps); a workbook whose zip members declare
more than ``--max-unpacked`` (256 MiB) is refused before openpyxl opens it; a redirect is
followed only to the same host or to one of ``OFFICIAL_HOSTS``; errors say "connection
refused", "host name not found", "timed out" or "truncated payload" as the case is; and
temporary files a killed run left beside the data file are removed by the next run (they
are git-ignored). Text from a server (an HTTP reason phrase, a redirect address) is printed
with its control characters escaped, never raw. The run holds the data folder's lock
(:mod:`maintainer.data_lock`): a second refresh or a compile at the same time is refused.
Arguments out of range (a year outside 1990..this year, a negative count, a timeout of 0, a
missing or read-only ``--data-dir``) are refused with a message, never a traceback.

Exit status: 0 refreshed or nothing to change; 1 a download, payload or validation error;
2 a usage error; 3 refused because a year already in the file moves beyond the tolerance or
a value jumps beyond the factor. In every case other than 0 the data file is left byte for
byte as it was.

The UNHCR series are read from the population API and labelled with the release actually
read: a source ``unhcr_api_YYYY_MM_DD`` (the day of the download) that the refresh adds to
``data/sources.csv``. Endpoints, payload formats, the mapping to our series and how the file

The package, by what each module holds:

- :mod:`.transport`: downloads within bounds (:func:`download`, :class:`Limits`, :class:`RefreshError`);
- :mod:`.unhcr`: the UNHCR population API (:func:`fetch_unhcr`);
- :mod:`.desa`: the UN DESA workbook (:func:`fetch_desa`, :func:`parse_desa_world`);
- :mod:`.release`: a release of world totals (:class:`Release`) and how it replaces our rows (:func:`merge`);
- :mod:`.checks`: checks on the values (ceiling, jumps, moves of past years: :class:`Change`);
- :mod:`.files`: reading, staging, validating and atomically replacing the data files;
- :mod:`.cli`: the whole refresh (:func:`refresh`) and its command line (:func:`main`).

Every public name is re-exported here, so ``from maintainer import refresh; refresh.main()`` keeps working.
"""

from __future__ import annotations

from .checks import MAX_JUMP, PERSONS_CEILING, Change, change_table, check_ceilings, compare, jumps
from .cli import EXIT_ERROR, EXIT_OK, EXIT_REFUSED, main, parse_args, refresh
from .desa import (
    DEFAULT_DESA_URL,
    DESA_DESTINATION,
    DESA_GAPS,
    DESA_ORIGIN,
    DESA_REVISION,
    DESA_SERIES,
    DESA_SHEET,
    DESA_SOURCE,
    WORLD_M49,
    check_unpacked_size,
    fetch_desa,
    parse_desa_world,
)
from .files import (
    new_sources,
    read_rows,
    register_sources,
    remove_stale_candidates,
    staged_package,
    validate_candidate,
    write_candidate,
)
from .release import RESOURCE, YEAR_FROM, Release, merge
from .transport import (
    CHUNK,
    MAX_REDIRECTS,
    MIB,
    OFFICIAL_HOSTS,
    USER_AGENT,
    Budget,
    Limits,
    Payload,
    RefreshError,
    download,
    make_session,
    terminal_safe,
)
from .unhcr import (
    DEFAULT_UNHCR_BASE,
    MAX_PAGES,
    PAGE_SIZE,
    UNHCR_ENDPOINTS,
    fetch_items,
    fetch_unhcr,
    parse_json,
    requested_years,
    unhcr_source,
    world_totals,
)

__all__ = [
    "Budget",
    "CHUNK",
    "Change",
    "DEFAULT_DESA_URL",
    "DEFAULT_UNHCR_BASE",
    "DESA_DESTINATION",
    "DESA_GAPS",
    "DESA_ORIGIN",
    "DESA_REVISION",
    "DESA_SERIES",
    "DESA_SHEET",
    "DESA_SOURCE",
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_REFUSED",
    "Limits",
    "MAX_JUMP",
    "MAX_PAGES",
    "MAX_REDIRECTS",
    "MIB",
    "OFFICIAL_HOSTS",
    "PAGE_SIZE",
    "PERSONS_CEILING",
    "Payload",
    "RESOURCE",
    "RefreshError",
    "Release",
    "UNHCR_ENDPOINTS",
    "USER_AGENT",
    "WORLD_M49",
    "YEAR_FROM",
    "change_table",
    "check_ceilings",
    "check_unpacked_size",
    "compare",
    "download",
    "fetch_desa",
    "fetch_items",
    "fetch_unhcr",
    "jumps",
    "main",
    "make_session",
    "merge",
    "new_sources",
    "parse_args",
    "parse_desa_world",
    "parse_json",
    "read_rows",
    "refresh",
    "register_sources",
    "remove_stale_candidates",
    "requested_years",
    "staged_package",
    "terminal_safe",
    "unhcr_source",
    "validate_candidate",
    "world_totals",
    "write_candidate",
]
