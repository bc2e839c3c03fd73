"""The world maps: the outline resource, its compile step, projection, antimeridian and categories."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.path import Path as MplPath

from iomun import data, maps
from iomun.data import DataError
from iomun.member_states import MEMBERSHIP_COLOURS, draw_membership_map
from iomun.palette import BACKGROUND, INK
from maintainer import compile_map
from maintainer.paths import ROOT


@pytest.fixture(scope="module")
def world_map() -> pd.DataFrame:
    return data.load("world_map", data_dir=ROOT / "data")


@pytest.fixture(scope="module")
def paths(world_map: pd.DataFrame) -> dict:
    return maps.country_paths(world_map)


def projected(lon: float, lat: float) -> tuple[float, float]:
    x, y = maps.equal_earth(np.array([lon]), np.array([lat]))
    return float(x[0]), float(y[0])


def outer_contains(path: MplPath, lon: float, lat: float) -> bool:
    """Whether any outer ring of a country's path holds the point (holes not subtracted)."""
    return any(ring.contains_point(projected(lon, lat)) for ring in _outer_rings(path))


def _outer_rings(path: MplPath) -> list[MplPath]:
    rings = [MplPath(polygon) for polygon in path.to_polygons(closed_only=True)]
    return [ring for ring in rings if _signed_area(ring.vertices) > 0]


def _signed_area(xy: np.ndarray) -> float:
    return float(np.sum(xy[:-1, 0] * xy[1:, 1] - xy[1:, 0] * xy[:-1, 1]) / 2)


# --- the resource and its compile step ----------------------------------------------------


def test_the_resource_is_small_and_keyed_by_iso3(world_map: pd.DataFrame) -> None:
    assert (ROOT / "data" / "world_map.csv").stat().st_size < 500_000
    assert world_map["name"].nunique() == 177  # Natural Earth's Admin 0 countries at 1:110m
    codeless = world_map.loc[world_map["iso3"].isna(), "name"].unique().tolist()
    assert sorted(codeless) == ["N. Cyprus", "Somaliland"]
    noted = world_map.loc[world_map["code_note"].notna(), "name"].unique().tolist()
    assert sorted(noted) == ["Kosovo", "N. Cyprus", "Somaliland"]
    assert world_map.loc[world_map["name"] == "Kosovo", "iso3"].eq("XKX").all()
    france = world_map[world_map["iso3"] == "FRA"]
    assert france["iso_numeric"].eq("250").all() and len(france) >= 2  # Metropolitan France and French Guiana


def test_a_broken_polygon_is_refused_naming_file_row_and_field(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    path = copy / "world_map.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace("POLYGON ((", "POLYGON ((x", 1)
    path.write_text("".join(lines), encoding="utf-8")
    data.clear_cache()
    try:
        with pytest.raises(DataError) as caught:
            data.load("world_map", data_dir=copy)
    finally:
        data.clear_cache()
    assert (caught.value.path.name, caught.value.row, caught.value.field) == ("world_map.csv", 2, "wkt")


def test_an_unknown_code_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    path = copy / "world_map.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nAFG,004,", "\nQQQ,004,", 1), encoding="utf-8")
    data.clear_cache()
    try:
        with pytest.raises(DataError, match="unknown ISO3 code"):
            data.load("world_map", data_dir=copy)
    finally:
        data.clear_cache()


TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [-10, 20]},
    "arcs": [[[0, 0], [4, 0], [0, 4]], [[4, 4], [-4, 0], [0, -4]]],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "250", "properties": {"name": "France"}, "arcs": [[0, 1]]},
                {"type": "Polygon", "properties": {"name": "Somaliland"}, "arcs": [[~1, ~0]]},
            ],
        }
    },
}


def test_arcs_are_delta_decoded_and_dequantized() -> None:
    arcs = compile_map.decode_arcs(TINY)
    assert arcs[0] == [(-10.0, 20.0), (-8.0, 20.0), (-8.0, 21.0)]
    assert arcs[1] == [(-8.0, 21.0), (-10.0, 21.0), (-10.0, 20.0)]


def test_rings_are_stitched_and_a_negative_index_reverses_its_arc() -> None:
    arcs = compile_map.decode_arcs(TINY)
    ring = compile_map.stitch_ring(arcs, [0, 1])
    assert ring == [(-10.0, 20.0), (-8.0, 20.0), (-8.0, 21.0), (-10.0, 21.0), (-10.0, 20.0)]
    assert compile_map.stitch_ring(arcs, [~1, ~0]) == ring[::-1]


def test_the_compiled_rows_carry_codes_notes_and_wkt() -> None:
    frame = compile_map.build_map(TINY)
    france = frame[frame["name"] == "France"].iloc[0]
    assert (france["iso3"], france["iso_numeric"]) == ("FRA", "250")
    assert france["wkt"] == "POLYGON ((-10.00 20.00, -8.00 20.00, -8.00 21.00, -10.00 21.00, -10.00 20.00))"
    somaliland = frame[frame["name"] == "Somaliland"].iloc[0]
    assert pd.isna(somaliland["iso3"]) and "no ISO 3166-1 code" in somaliland["code_note"]


def test_a_ring_that_encloses_nothing_is_dropped() -> None:
    assert compile_map.ring_wkt([(1.0, 2.0), (1.001, 2.001), (1.0, 2.0)]) is None


def test_an_entity_without_code_or_note_stops_the_step() -> None:
    topology = {
        **TINY,
        "objects": {
            "countries": {"geometries": [{"type": "Polygon", "properties": {"name": "Atlantis"}, "arcs": [[0, 1]]}]}
        },
    }
    with pytest.raises(ValueError, match="Atlantis"):
        compile_map.build_map(topology)


def test_rewriting_the_same_outlines_leaves_the_file_untouched(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    before = (copy / "world_map.csv").read_bytes()
    assert compile_map.write_validated("world_map", data.load("world_map", data_dir=copy), copy) is False
    assert (copy / "world_map.csv").read_bytes() == before


def test_a_rewritten_resource_keeps_its_file_mode(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    target = copy / "world_map.csv"
    target.chmod(0o644)
    frame = data.load("world_map", data_dir=copy)
    assert compile_map.write_validated("world_map", frame.iloc[:-1], copy) is True
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    target.unlink()
    assert compile_map.write_validated("world_map", frame, copy) is True
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_the_committed_resource_is_what_the_step_builds() -> None:
    # make test installs world-atlas; run alone, the message says how to get it
    assert compile_map.TOPOJSON.exists(), f"{compile_map.TOPOJSON} is missing: run make compile-map"
    built = compile_map.build_map(compile_map.read_topology()).to_csv(index=False, lineterminator="\n")
    assert built == (ROOT / "data" / "world_map.csv").read_text(encoding="utf-8")


# --- reading, projecting, drawing ---------------------------------------------------------


def test_wkt_rings_are_read_and_checked() -> None:
    rings = maps.parse_wkt("POLYGON ((0 0, 4 0, 4 4, 0 0), (1 1, 2 1, 2 2, 1 1))")
    assert [ring.shape for ring in rings] == [(4, 2), (4, 2)]
    with pytest.raises(ValueError, match="not closed"):
        maps.parse_wkt("POLYGON ((0 0, 4 0, 4 4, 0 1))")
    with pytest.raises(ValueError, match="outside"):
        maps.parse_wkt("POLYGON ((0 0, 190 0, 4 4, 0 0))")


def test_equal_earth_is_equal_area_and_spans_the_world() -> None:
    assert projected(0, 0) == (0.0, 0.0)
    assert projected(180, 0)[0] == pytest.approx(2.7066, abs=1e-4)  # the published half-width

    def cell_area(lat: float) -> float:
        edge = np.linspace(0, 10, 50)
        lon = np.concatenate([edge, np.full(50, 10.0), edge[::-1], np.zeros(50)])
        lats = np.concatenate([np.full(50, lat), lat + edge, np.full(50, lat + 10.0), lat + edge[::-1]])
        x, y = maps.equal_earth(lon, lats)
        return abs(_signed_area(np.column_stack([x, y])))

    sphere = (np.sin(np.radians(10)) - np.sin(0)) / (np.sin(np.radians(70)) - np.sin(np.radians(60)))
    assert cell_area(0) / cell_area(60) == pytest.approx(sphere, rel=0.01)


def test_a_country_lies_where_it_should(paths: dict) -> None:
    assert outer_contains(paths["ITA"], 12.5, 41.9)  # Rome
    assert not outer_contains(paths["ITA"], 7.45, 46.95)  # Bern
    assert outer_contains(paths["AUS"], 133.9, -23.7)  # Alice Springs
    assert not outer_contains(paths["AUS"], -58.4, -34.6)  # Buenos Aires


def test_rings_across_the_antimeridian_are_joined(paths: dict) -> None:
    assert outer_contains(paths["RUS"], 37.6, 55.75)  # Moscow
    assert outer_contains(paths["RUS"], -175.0, 66.5)  # Chukotka, east of the antimeridian
    # an unjoined ring would run the width of the world: the Atlantic and the Gulf of Alaska stay out
    assert not outer_contains(paths["RUS"], -30.0, 50.0)
    assert not outer_contains(paths["RUS"], -150.0, 57.0)
    assert outer_contains(paths["FJI"], 178.0, -17.8)


def test_a_ring_around_the_pole_fills_the_cap() -> None:
    ring = np.array([[-180.0, -70.0], [-90.0, -72.0], [0.0, -70.0], [90.0, -72.0], [180.0, -70.0], [-180.0, -70.0]])
    closed = maps.unwrap(ring)
    assert closed[:, 1].min() == -90.0
    plain = np.array([[10.0, 5.0], [12.0, 5.0], [12.0, 7.0], [10.0, 5.0]])
    assert maps.unwrap(plain).tolist() == plain.tolist()  # a ring that crosses nothing is left as it is


def test_a_hole_stays_empty_when_drawn(world_map: pd.DataFrame) -> None:
    """South Africa's outline has Lesotho as a hole: drawn alone, Maseru's pixel stays background."""
    south_africa = maps.country_paths(world_map[world_map["iso3"] == "ZAF"])
    fig, ax = plt.subplots(figsize=(6, 3), dpi=200)
    maps.draw_countries(ax, south_africa, {"ZAF": INK})
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())

    def pixel(lon: float, lat: float) -> tuple[int, ...]:
        x, y = ax.transData.transform(projected(lon, lat))
        return tuple(int(v) for v in pixels[pixels.shape[0] - int(round(y)), int(round(x)), :3])

    plt.close(fig)
    assert pixel(28.2, -29.6) == (255, 255, 255) and BACKGROUND == "#FFFFFF"  # Lesotho
    assert pixel(24.0, -30.0) == (0, 0, 0)  # South Africa


def test_categories_name_a_gap_and_key_codeless_areas_by_name(world_map: pd.DataFrame) -> None:
    groups = maps.categories(world_map, {"FRA": "Party and IOM member"}, "gap")
    assert groups["FRA"] == "Party and IOM member"
    assert groups["ITA"] == "gap" and groups["Somaliland"] == "gap"
    assert groups.index.is_unique and len(groups) == world_map["name"].nunique()


def test_a_misspelt_group_is_refused_rather_than_drawn_as_a_gap(paths: dict) -> None:
    groups = pd.Series({"FRA": "Party and IOM membr"})
    with pytest.raises(ValueError, match="no colour"):
        draw_membership_map(paths, groups, "gap", "title", "source")
    fig = draw_membership_map(paths, pd.Series({"FRA": next(iter(MEMBERSHIP_COLOURS))}), "gap", "title", "source").wide
    assert len(fig.legends[0].get_texts()) == len(MEMBERSHIP_COLOURS) + 1  # four groups and the gap
    plt.close(fig)


def test_symbols_sit_on_the_largest_polygon(world_map: pd.DataFrame) -> None:
    points = maps.symbol_points(world_map)
    usa = points.loc["USA"]
    west, east = projected(-125, 40)[0], projected(-67, 40)[0]
    assert west < usa["x"] < east  # the contiguous states, not Alaska
    assert set(points.index) == set(maps.feature_key(world_map))


def test_legend_values_are_round_and_fit_the_data() -> None:
    assert maps.legend_values(3_489_257) == [200_000, 1_000_000, 2_000_000]
    assert maps.legend_values(52_375_047) == [5_000_000, 25_000_000, 50_000_000]
    assert maps.people(2_500_000) == "2.5 million" and maps.people(200_000) == "200,000"
    sizes = maps.symbol_sizes(pd.Series([1_000, 4_000]), 4_000, biggest_area=900.0)
    assert sizes.tolist() == [225.0, 900.0]  # area proportional to the value
