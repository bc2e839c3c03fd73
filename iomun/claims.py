"""The claims ledger: each quantitative claim of the briefing beside the value from data/.

``data/briefing_claims.csv`` lists the claims with the briefing's value and the name of a
check; each check below recomputes the claim from the data package and says whether the
data agree. A claim without a check is reported as not checkable, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from . import data
from .facts import BRIEFING_DATE, published_count
from .facts import fact as _fact
from .finances import ceb_expenses


@dataclass(frozen=True)
class Check:
    """What the data say about one claim."""

    value: str
    status: str  # "agrees", "differs", "partly checkable" or "not checkable from data"
    basis: str


def _compare(briefing: str, recomputed: int | None, basis: str) -> Check:
    if recomputed is None:
        return Check("missing", "not checkable from data", basis)
    status = "agrees" if str(recomputed) == briefing else "differs"
    return Check(str(recomputed), status, basis)


def years_side_by_side(briefing: str) -> Check:
    founded = int(_fact("iom_predecessor_founded_year")["value"])
    joined = pd.Timestamp(_fact("iom_un_relationship_agreement_signed_date")["value"]).year
    return _compare(briefing, joined - founded, f"IOM's predecessor founded {founded}; agreement signed {joined}")


def refugee_instrument_parties(briefing: str) -> Check:
    members = data.load("memberships")
    either = members[["convention_1951_year", "protocol_1967_year"]].min(axis=1)
    named = int((either <= BRIEFING_DATE.year).sum())
    gaps = data.load("gaps")
    if not (gaps["resource"] == "memberships").any():
        return _compare(briefing, named, "states with a Convention or Protocol accession year up to 2016")
    # Accession years are only partly compiled: counting them would understate the parties, so the
    # published count nearest to the briefing is the check, and the state-by-state count is reported beside it.
    nearest = published_count("refugee_instruments_parties_either_count", BRIEFING_DATE)
    latest = published_count("refugee_instruments_parties_either_count")
    check = _compare(briefing, int(nearest["value"]), "")
    return Check(
        f"{nearest['value']} ({nearest['as_of']}); {latest['value']} ({latest['as_of']})",
        check.status,
        f"published counts of states party to either instrument ({nearest['source_id']}, nearest to the briefing; "
        f"{latest['source_id']}, latest); accession years compiled for {named} parties by 2016 and "
        f"{int(either.notna().sum())} of {len(members)} states in all (see the gaps resource)",
    )


def _iom_count(status: str, fact_id: str, briefing: str) -> Check:
    fact = _fact(fact_id)
    check = _compare(briefing, int(fact["value"]), f"{fact['source_id']}, as of {fact['as_of']}")
    members = data.load("memberships")
    cow = int((members["iom_status"] == "member_2014").sum())
    if status == "member":
        return Check(check.value, check.status, f"{check.basis}; Correlates of War codes {cow} full members in 2014")
    return check


def iom_members_2016(briefing: str) -> Check:
    return _iom_count("member", "iom_member_states_sep2016", briefing)


def iom_observers_2016(briefing: str) -> Check:
    return _iom_count("observer", "iom_observer_states_sep2016", briefing)


def un_components(briefing: str) -> Check:
    gmg = _fact("gmg_members_count_2015")
    mandates = data.load("mandates")
    entities = mandates["entity"].nunique()
    return Check(
        f"{gmg['value']} (Global Migration Group, {gmg['as_of'][:4]}); {entities} in the mandate matrix",
        "differs" if gmg["value"] != briefing else "agrees",
        "the briefing does not publish its list; the closest official grouping is the GMG",
    )


def figure1_trend(briefing: str) -> Check:
    values = data.load("world_populations").pivot(index="year", columns="series", values="value")
    series = {"migrant stock": "international_migrants_undesa_ims2020", "refugees": "refugees_unhcr_mandate",
              "IDPs": "idps_conflict_idmc"}
    ratios = {name: values[code].dropna() for name, code in series.items()}
    growth = {name: s[s.index <= 2015].iloc[-1] / s.iloc[0] for name, s in ratios.items()}
    text = "; ".join(f"{name} ×{ratio:.2f}" for name, ratio in growth.items())
    rising = all(ratio > 1 for ratio in growth.values())
    basis = "growth from 1990 to 2015 in official series; below 1 means fewer in 2015 than in 1990"
    return Check(text, "agrees" if rising else "differs", basis)


def figure2_trend(briefing: str) -> Check:
    ceb = ceb_expenses(data.load("agency_finances"))
    ratio = ceb["UNHCR"] / ceb["IOM"]
    return Check(
        f"UNHCR/IOM expenses ×{ratio[2016]:.1f} in 2016, ×{ratio.iloc[-1]:.1f} in {ratio.index[-1]}",
        "partly checkable",
        "CEB expenses start in 2011; agency budgets for 2000-2010 are partly missing",
    )


CHECKS: dict[str, Callable[[str], Check]] = {
    "years_side_by_side": years_side_by_side,
    "refugee_instrument_parties": refugee_instrument_parties,
    "iom_members_2016": iom_members_2016,
    "iom_observers_2016": iom_observers_2016,
    "un_components": un_components,
    "figure1_trend": figure1_trend,
    "figure2_trend": figure2_trend,
}

NOT_CHECKABLE = "the briefing's own fieldwork or a source outside the data package; no official figure compiled"


def ledger() -> pd.DataFrame:
    """One row per claim: the briefing's value, the recomputed value, status and basis."""
    rows = []
    for claim in data.load("briefing_claims").itertuples():
        check = CHECKS[claim.check](claim.briefing_value) if pd.notna(claim.check) else Check(
            "—", "not checkable from data", NOT_CHECKABLE)
        rows.append({"section": claim.section, "claim": claim.claim, "briefing": claim.briefing_value,
                     "data": check.value, "status": check.status, "basis": check.basis})
    return pd.DataFrame(rows)
