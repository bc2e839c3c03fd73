"""Ranking the status options: the weighted mean, ties, presets, and the live slider control."""

from __future__ import annotations

import math
from html.parser import HTMLParser

import ipywidgets as widgets
import pandas as pd
import pytest

from iomun import data
from iomun.what_will_change import (
    CRITERION_LABELS,
    WEIGHT_PRESETS,
    custom_weights_control,
    normalise_weights,
    rank_options,
    ranking_html,
    score_matrix,
)


def long_scores(table: dict[str, dict[str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(option, criterion, score) for option, row in table.items() for criterion, score in row.items()],
        columns=["option", "criterion", "score"],
    )


TOY = long_scores({"A": {"x": 3, "y": 0}, "B": {"x": 0, "y": 3}, "C": {"x": 1, "y": 1}})


def test_weighted_mean_and_order() -> None:
    ranking = rank_options(TOY, {"x": 3, "y": 1})  # normalised to 0.75 / 0.25
    assert ranking["option"].tolist() == ["A", "C", "B"]
    assert ranking["weighted_score"].tolist() == pytest.approx([2.25, 1.0, 0.75])
    assert ranking["rank"].tolist() == [1, 2, 3]
    assert not ranking["tied"].any()


def test_weights_are_scale_free() -> None:
    pd.testing.assert_frame_equal(rank_options(TOY, {"x": 3, "y": 1}), rank_options(TOY, {"x": 0.75, "y": 0.25}))


def test_ties_share_the_best_rank_and_are_flagged() -> None:
    ranking = rank_options(TOY, {"x": 1, "y": 1})  # A = B = 1.5, C = 1
    assert ranking["option"].tolist() == ["A", "B", "C"]  # tied options keep their input order
    assert ranking["rank"].tolist() == [1, 1, 3]
    assert ranking["tied"].tolist() == [True, True, False]
    assert "1 (tie)" in ranking_html(ranking)


def test_float_noise_does_not_split_a_tie() -> None:
    scores = long_scores({"P": {"a": 1, "b": 2, "c": 0}, "Q": {"a": 2, "b": 1, "c": 0}})
    ranking = rank_options(scores, {"a": 0.1, "b": 0.1, "c": 0.8})
    assert ranking["tied"].all()
    assert ranking["rank"].tolist() == [1, 1]


@pytest.mark.parametrize(
    "weights, message",
    [
        ({"x": 1}, "no weight given"),
        ({"x": 1, "y": 1, "z": 1}, "unknown criteria"),
        ({"x": -1, "y": 2}, "not negative"),
        ({"x": math.nan, "y": 1}, "finite"),
        ({"x": 0, "y": 0}, "above zero"),
    ],
)
def test_bad_weights_are_refused(weights: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rank_options(TOY, weights)


def test_incomplete_scores_are_refused() -> None:
    with pytest.raises(ValueError, match="not scored on every criterion"):
        score_matrix(TOY[~((TOY["option"] == "C") & (TOY["criterion"] == "y"))])


@pytest.mark.parametrize("name", list(WEIGHT_PRESETS))
def test_presets_are_valid_and_sum_to_one(name: str) -> None:
    weights = WEIGHT_PRESETS[name]
    assert set(weights) == set(CRITERION_LABELS)
    assert all(w >= 0 for w in weights.values())
    assert sum(weights.values()) == pytest.approx(1.0)
    assert normalise_weights(weights, list(CRITERION_LABELS)) == pytest.approx(weights)


def test_presets_fit_the_published_scores() -> None:
    scores = data.load("status_options")
    assert set(scores["criterion"]) == set(CRITERION_LABELS)
    rankings = {name: rank_options(scores, w) for name, w in WEIGHT_PRESETS.items()}
    for ranking in rankings.values():
        assert ranking["weighted_score"].between(0, 3).all()
        assert len(ranking) == scores["option"].nunique()
    winners = {name: r.loc[0, "option"] for name, r in rankings.items()}
    assert len(set(winners.values())) > 1, "the presets never change which option comes first"


def _parts(control: widgets.VBox) -> tuple[dict[str, widgets.FloatSlider], widgets.HTML]:
    *sliders, table = control.children
    assert all(isinstance(s, widgets.FloatSlider) for s in sliders)
    assert isinstance(table, widgets.HTML)
    return {s.description: s for s in sliders}, table


class _Cells(HTMLParser):
    """Text of every <td> of a table, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._inside = False

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "td":
            self._inside = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._inside = False

    def handle_data(self, text: str) -> None:
        if self._inside:
            self.cells[-1] += text.strip()


def _first_option(table: widgets.HTML) -> str:
    parser = _Cells()
    parser.feed(table.value)
    return parser.cells[1]  # columns: rank, option, weighted score


def test_live_control_reranks_when_sliders_move() -> None:
    scores = data.load("status_options")
    control = custom_weights_control(scores)
    sliders, table = _parts(control)
    assert set(sliders) == set(CRITERION_LABELS.values())
    for slider in sliders.values():
        slider.value = 0.0
    assert "at least one weight" in table.value
    sliders[CRITERION_LABELS["independence"]].value = 1.0
    sliders[CRITERION_LABELS["governance_continuity"]].value = 1.0
    independent_first = _first_option(table)
    assert (
        independent_first
        == rank_options(
            scores, {c: (1.0 if c in ("independence", "governance_continuity") else 0.0) for c in CRITERION_LABELS}
        ).loc[0, "option"]
    )
    sliders[CRITERION_LABELS["independence"]].value = 0.0
    sliders[CRITERION_LABELS["governance_continuity"]].value = 0.0
    sliders[CRITERION_LABELS["normative_role"]].value = 1.0
    assert _first_option(table) != independent_first


def test_live_control_starts_from_given_weights() -> None:
    control = custom_weights_control(TOY, initial={"x": 0.0, "y": 1.0})
    sliders, table = _parts(control)
    assert [s.value for s in sliders.values()] == [0.0, 1.0]
    assert _first_option(table) == "B"
    with pytest.raises(ValueError):
        custom_weights_control(TOY, initial={"x": 0.0, "y": 0.0})
