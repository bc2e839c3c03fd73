"""The raw official files this step reads: where they are, their names, and the error on a bad one."""

from __future__ import annotations

from maintainer.paths import ROOT

DEFAULT_RAW_DIR = ROOT.parent / "shared" / "reference" / "raw"

DESA_FILE = "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx"
UNTC_V2_FILE = "untc_V2_convention_status_2013.csv"
UNTC_V5_FILE = "untc_V5_protocol_status_2014.csv"


class CompileError(RuntimeError):
    """An input file is missing or not in the expected shape."""
