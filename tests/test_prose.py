"""Year lists and counted lists glued into the chapters."""

from iomun.prose import counted_list, year_list


def test_runs_collapse_and_the_last_part_joins_with_and():
    assert year_list([2004, 2000, 2001, 2002, 2003, 2007, 2010]) == "2000–2004, 2007 and 2010"


def test_single_years_and_pairs():
    assert year_list([2016]) == "2016"
    assert year_list([2015, 2016]) == "2015–2016"
    assert year_list([2005, 2007]) == "2005 and 2007"


def test_duplicates_and_floats_from_pandas_are_tolerated():
    assert year_list([2005.0, 2005, 2006]) == "2005–2006"


def test_empty_says_none():
    assert year_list([]) == "none"


def test_a_counted_list_keeps_an_item_that_holds_and_whole():
    groups = ["migrants in crisis", "migrants in general", "migration and development"]
    assert counted_list(groups, "group") == (
        "three groups: migrants in crisis, migrants in general, and migration and development"
    )


def test_a_counted_list_of_one_two_or_none():
    assert counted_list(["refugees"], "group") == "one group: refugees"
    assert counted_list(["refugees", "stateless persons"], "group") == "two groups: refugees and stateless persons"
    assert counted_list([], "group") == "no group"
