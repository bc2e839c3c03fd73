"""The generated "Data and sources" page lists every resource, source and licence."""

from __future__ import annotations

from iomun import data
from maintainer import data_page


def test_page_lists_every_resource_with_download_sources_and_licences() -> None:
    page = data_page.render()
    package = data.read_descriptor()
    for resource in package["resources"]:
        assert f"`{resource['name']}`" in page
        assert f"<{data_page.DOWNLOADS}/{resource['path']}>" in page
        for source in resource.get("sources", []):
            assert source["path"] in page
            assert f"licence: {data_page.literal(source['license'])}" in page


def test_coverage_is_computed_from_the_data() -> None:
    populations = data.load("world_populations")
    page = data_page.render()
    assert f"{populations['year'].min()}–{populations['year'].max()}, {len(populations):,} rows" in page
