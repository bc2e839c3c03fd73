"""Chapter 1's drawing of forced displacement: stacked by group, only in years every group is known."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from iomun.why_join import FORCED_GROUPS, draw_forced_displacement


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "refugees": [17e6, 16e6, 20e6],
            "asylum_seekers": [None, 2e6, 3e6],
            "palestine_refugees": [2e6, 5e6, 6e6],
            "idps": [20e6, 39e6, 70e6],
        },
        index=[1990, 2016, 2024],
    )


def test_forced_displacement_skips_incomplete_years_and_labels_the_two_totals():
    fig = draw_forced_displacement(_table(), "Forced displacement: 62.0 million in 2016", "Source: test", 2016).wide
    ax = fig.axes[0]
    years = sorted({round(bar.get_x() + bar.get_width() / 2) for bar in ax.patches})
    assert years == [2016, 2024]  # 1990 lacks asylum-seekers: no bar, no zero
    assert [text.get_text() for text in ax.texts if text.get_text().endswith(" m")] == ["62.0 m", "99.0 m"]
    assert fig.get_suptitle() == "Forced displacement: 62.0 million in 2016"
    assert len(ax.patches) == 2 * len(FORCED_GROUPS)
    plt.close(fig)


def test_forced_displacement_refuses_a_table_with_no_complete_year():
    with pytest.raises(ValueError, match="every forcibly displaced group"):
        draw_forced_displacement(_table().assign(idps=None), "t", "s", 2016)
