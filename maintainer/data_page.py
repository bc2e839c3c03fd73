"""Write the book's "Data and sources" page from ``data/datapackage.json``.

The page is generated at build time (``make data-page``), so it always lists what the
package holds: every resource with its coverage, schema, caveats, sources with their
licences, and a download link for the CSV that the built site serves.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from iomun import data


def _coverage(frame: pd.DataFrame) -> str:
    if "year" in frame and pd.api.types.is_integer_dtype(frame["year"]):
        return f"{frame['year'].min()}–{frame['year'].max()}, {len(frame):,} rows"
    return f"{len(frame):,} rows"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def resource_section(resource: dict, frame: pd.DataFrame) -> str:
    """Markdown for one resource."""
    lines = [
        f"## {resource['title']}",
        "",
        f"{resource.get('description', '')}",
        "",
        f"- **Resource**: `{resource['name']}`, coverage {_coverage(frame)}",
        f"- **Download**: {{download}}`{resource['path']} <../data/{resource['path']}>`",
        "",
        "| field | type | meaning |",
        "| --- | --- | --- |",
    ]
    for field in resource["schema"]["fields"]:
        meaning = field.get("title", "")
        if field.get("description"):
            meaning += f". {field['description']}"
        lines.append(f"| `{field['name']}` | {field['type']} | {_cell(meaning)} |")
    if resource.get("caveats"):
        lines += ["", "**Caveats**", ""] + [f"- {c}" for c in resource["caveats"]]
    if resource.get("sources"):
        lines += ["", "**Sources**", ""]
        for source in resource["sources"]:
            lines.append(
                f"- [{_cell(source['title'])}]({source['path']}), {source['publisher']}; "
                f"licence: {source['license']}; read {source['date_read']}"
            )
    return "\n".join(lines) + "\n"


def render(data_dir: Path = data.DATA_DIR) -> str:
    """The whole page as MyST Markdown."""
    package = data.read_descriptor(data_dir)
    parts = [
        "# Data and sources",
        "",
        f"{package['description']}",
        "",
        "Every resource below is validated against its schema each time a chapter loads it; "
        "a malformed file stops the build with a message naming the file, row and field. "
        "The package descriptor, `data/datapackage.json`, is a "
        "[Frictionless Data Package](https://specs.frictionlessdata.io/data-package/): "
        "{download}`download it <../data/datapackage.json>`.",
        "",
    ]
    for resource in package["resources"]:
        parts.append(resource_section(resource, data.load(resource["name"], data_dir)))
    return "\n".join(parts)


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("book/data_sources.md")
    target.write_text(render(), encoding="utf-8")
    print(f"data_page: wrote {target}")


if __name__ == "__main__":
    main()
