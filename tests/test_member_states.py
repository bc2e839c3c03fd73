"""Chapter 5's drawings: the hosted-share line labels the years it compares with their reference dates."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

from iomun.member_states import draw_hosted_share


def test_the_compared_years_are_labelled_with_their_reference_dates() -> None:
    share = pd.Series([0.2, 0.15, 0.09], index=[2010, 2016, 2024])
    fig = draw_hosted_share(share, 2016, "source", marked={2016: "end-2016", 2024: "end-2024"}).wide
    texts = [text.get_text() for text in fig.axes[0].texts]
    plt.close(fig)
    assert "end-2016: 15%" in texts and "end-2024: 9%" in texts
    assert not any("2010" in text for text in texts)  # only the years compared are labelled
