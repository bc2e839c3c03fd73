"""Writing resources: CSV as the package stores it, validated before it replaces a file.

Also lists in ``datapackage.json`` the sources each written resource cites.
"""

from __future__ import annotations

import io
import json
import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from iomun import data


def to_csv_text(frame: pd.DataFrame) -> str:
    """CSV as the package stores it: UTF-8, LF line ends, empty cells for missing values."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format=None)
    return buffer.getvalue()


def write_validated(name: str, frame: pd.DataFrame, data_dir: Path) -> bool:
    """Validate ``frame`` as resource ``name`` from a temporary file, then replace the file.

    Returns whether the file changed.
    """
    target = data_dir / data.resource_descriptor(name, data_dir)["path"]
    text = to_csv_text(frame)
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=data_dir, suffix=".csv", delete=False, newline=""
    ) as handle:
        handle.write(text)
        temporary = Path(handle.name)
    # a temporary file is private (0600); the resource keeps its mode, a new one is readable by all
    os.chmod(temporary, stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o644)
    try:
        data.clear_cache()
        data.validate_file(name, temporary, data_dir)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
        data.clear_cache()
    return True


SOURCE_COLUMNS = (
    "source_id",
    "convention_1951_source_id",
    "protocol_1967_source_id",
    "iom_join_source_id",
    "source_id_used",
)


def sync_descriptor_sources(data_dir: Path, names: Sequence[str]) -> bool:
    """List in ``datapackage.json`` exactly the sources each written resource cites."""
    path = data_dir / "datapackage.json"
    descriptor = data.read_descriptor(data_dir)
    sources = data.validate_file("sources", data_dir / "sources.csv", data_dir).set_index("source_id")
    for resource in descriptor["resources"]:
        if resource["name"] not in names:
            continue
        frame = data.validate_file(resource["name"], data_dir / resource["path"], data_dir)
        cited = sorted(
            {
                sid
                for column in SOURCE_COLUMNS
                if column in frame
                for sid in frame[column].dropna()
                if sid in sources.index
            }
        )
        resource["sources"] = [
            {
                "title": sources.loc[sid, "title"],
                "path": sources.loc[sid, "url"],
                "publisher": sources.loc[sid, "publisher"],
                "license": sources.loc[sid, "license"],
                "date_read": sources.loc[sid, "date_read"],
                "source_id": sid,
            }
            for sid in cited
        ]
    text = json.dumps(descriptor, indent=1, ensure_ascii=False) + "\n"
    if path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    data.clear_cache()
    return True


def upsert_sources(existing: pd.DataFrame, rows: pd.DataFrame) -> pd.DataFrame:
    """Replace or append this step's source rows, keeping the others in their order."""
    keep = existing[~existing["source_id"].isin(rows["source_id"])]
    return pd.concat([keep, rows[existing.columns]], ignore_index=True)
