"""The claims ledger: each quantitative claim of the briefing beside the value from data/.

``data/briefing_claims.csv`` lists the claims with the briefing's value and the name of a
check; each check below recomputes the claim from the data package and says whether the
data agree. A claim without a check is reported as not checkable, with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import pandas as pd

from . import data
from .briefing_terms import NAMED_NON_PARTIES, QUARTER_CENTURY, window_growth
from .facts import BRIEFING_DATE, BRIEFING_YEAR, published_count
from .facts import fact as _fact
from .finances import ceb_expenses, iom_spending_and_membership, unhcr_spending_and_concern
from .member_states import non_party_share
from .reference_dates import latest_end_year


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
        "they count different things: the briefing's components of the UN system that deal with migration "
        "(its list is not published) include offices, programmes and special mandates; the GMG counts the "
        "entities that chose to join one inter-agency group, IOM among them",
    )


def special_rapporteur_mandate(briefing: str) -> Check:
    """The briefing lists the Special Rapporteur among the Secretary-General's appointments."""
    spaces = data.load("coordination_spaces").set_index("name")
    row = spaces.loc["Special Rapporteur on the human rights of migrants"]
    return Check(
        f"{row['basis']}: a special procedure, appointed by the Commission (now the Human Rights Council)",
        "differs",
        "OHCHR's page on the mandate: not an appointment of the Secretary-General",
    )


def bocek_office(briefing: str) -> Check:
    """The briefing lists Tomáš Boček's post among the UN Secretary-General's appointments."""
    fact = _fact("bocek_special_representative_office")
    return Check(
        f"Special Representative of the {fact['value']} (from {fact['as_of']})",
        "differs",
        f"{fact['source_id']}: a Council of Europe post, not a UN one",
    )


def non_party_hosts(briefing: str) -> Check:
    """'Several states with major displaced populations' outside the treaties, weighed by the refugees hosted."""
    latest = latest_end_year("refugees_unhcr_mandate")
    shares = {year: non_party_share(year)[0] for year in (BRIEFING_YEAR, latest)}
    return Check(
        "; ".join(f"{share:.0%} at end-{year}" for year, share in shares.items()),
        "partly checkable",
        "share of refugees under UNHCR's mandate hosted by all states party to neither instrument "
        "(UNHCR, by country of asylum); Palestine refugees under UNRWA's mandate are not counted; "
        "the briefing speaks of displaced populations, and some states it names host few refugees",
    )


def figure1_series(series: str, briefing: str) -> Check:
    """'Burgeoning numbers', judged for one official series over the briefing's quarter-century."""
    values = data.load("world_populations")
    values = values[values["series"] == series].set_index("year")["value"]
    ratio = window_growth(values)
    start, end = QUARTER_CENTURY
    if pd.isna(ratio):
        return Check("missing", "not checkable from data", f"{series}: no value for {start} or {end}")
    status = "agrees" if ratio > 1 else "differs"
    return Check(
        f"×{ratio:.2f} ({values[start] / 1e6:.1f} m in {start}, {values[end] / 1e6:.1f} m in {end})",
        status,
        f"{series}, {start} to {end}; below ×1 means fewer in {end} than in {start}",
    )


def figure2_trend(briefing: str) -> Check:
    ceb = ceb_expenses(data.load("agency_finances"))
    ratio = ceb["UNHCR"] / ceb["IOM"]
    return Check(
        f"UNHCR/IOM expenses ×{ratio[BRIEFING_YEAR]:.1f} in {BRIEFING_YEAR}, "
        f"×{ratio.iloc[-1]:.1f} in {ratio.index[-1]}",
        "partly checkable",
        "CEB expenses start in 2011; agency budgets for 2000-2010 are partly missing",
    )


def fact_value(fact_id: str, briefing: str) -> Check:
    """A dated fact of the package against the briefing's value (a year, a date or a count)."""
    fact = _fact(fact_id)
    if pd.isna(fact["value"]):
        # the fact's note is the compiler's; readers get the finding and where the gap is listed
        return Check(
            "missing",
            "not checkable from data",
            "no document consulted states it; the gap is listed on Data and methods",
        )
    # The briefing dates to the year or the month; compare a date at the briefing's precision.
    value = str(fact["value"])[: len(briefing)] if fact["unit"] in ("year", "date") else str(fact["value"])
    return Check(value, "agrees" if value == briefing else "differs", f"{fact['source_id']}, as of {fact['as_of']}")


def box1_items(briefing: str) -> Check:
    """Box 1's items in the provisions table, and how many carry an article of the agreement's text."""
    provisions = data.load("agreement_provisions")
    box = provisions[provisions["locator"].str.startswith("Box 1")]
    with_article = int(box["article"].notna().sum())
    status = "agrees" if with_article == len(box) and str(len(box)) == briefing else "partly checkable"
    return Check(
        f"{len(box)} items; {with_article} matched to an article",
        status,
        "each Box 1 item needs the article of A/RES/70/296 (annex) that says it; an item without one "
        "has not been matched to the agreement's text (the gap is listed on Data and methods)",
    )


def non_party_state(iso3: str, briefing: str) -> Check:
    """One state the briefing names as party to neither refugee instrument: in 2016 and now."""
    row = data.load("memberships").set_index("iso3").loc[iso3]
    first = row[["convention_1951_year", "protocol_1967_year"]].min()
    year = BRIEFING_DATE.year
    if pd.isna(first):
        return Check(
            f"not a party in {year} or now",
            "agrees",
            "memberships: not in the UN Treaty Collection status tables of the Convention and the "
            "Protocol, nor among the later accessions compiled from UNHCR; an accession that neither "
            "records would not show",
        )
    first = int(first)
    if first <= year:
        return Check(f"party since {first}", "differs", f"memberships: first accession {first}")
    return Check(
        f"not a party in {year}; party since {first}",
        "agrees",
        f"memberships: first accession {first}, after the briefing",
    )


def china_application(briefing: str) -> Check:
    """China applied in June 2016; the data say when it was admitted."""
    iom = data.load("iom_membership")
    china = iom[(iom["iso3"] == "CHN") & (iom["status"] == "member") & iom["admission_year"].notna()].iloc[0]
    return Check(
        f"member from {china['as_of']} ({china['source_id']})",
        "differs",
        "China was admitted at IOM's Special Council of June 2016, before the briefing was published, "
        "so it was no longer an applicant; the application itself was read only in a news site's copy "
        "of IOM's release (secondary readings), not from IOM",
    )


def russia_observer(briefing: str) -> Check:
    """Russia an observer in 2016: only official records count, and IOM's own were not read."""
    russia = data.load("iom_membership").query("iso3 == 'RUS'")
    if russia.empty:
        return Check(
            "no official record in the data",
            "not checkable from data",
            "Russia's observer status and later admission were read only in news agency reports "
            "(secondary readings); the gap is named in the gaps resource",
        )
    rows = russia.set_index("status")
    return Check(
        "; ".join(f"{status} from {row['as_of']}" for status, row in rows.iterrows()),
        "agrees",
        ", ".join(sorted(set(russia["source_id"]))),
    )


def figure2_iom_membership(briefing: str) -> Check:
    """IOM's spending in the 2000s against its membership: the first and last years of IOM's own
    expenditure figures before the CEB series, each beside the published member count nearest to it."""
    reading = iom_spending_and_membership(data.load("agency_finances"))
    if reading is None:
        return Check("missing", "not checkable from data", "fewer than two years of IOM's own expenditure figures")
    start, end = reading.start, reading.end
    return Check(
        reading.sentence(),
        "partly checkable",
        f"IOM's own figures for {start} and {end} (the later one an estimate), the only two read: none "
        f"for the years between, so the 2000s themselves are a gap; both rose, spending faster than "
        "membership; new "
        "members pay only the small assessed Administrative Part, and the data hold no series of who "
        "paid for the operations, so they cannot show that membership caused the growth",
    )


def figure2_unhcr_operations(briefing: str) -> Check:
    """UNHCR's expenses against the people it counts as its concern, over the CEB years to the briefing."""
    reading = unhcr_spending_and_concern(data.load("agency_finances"), data.load("world_populations"), BRIEFING_YEAR)
    return Check(
        reading.sentence(),
        "partly checkable",
        "refugees, asylum-seekers, IDPs protected by UNHCR and stateless persons (UNHCR) against CEB "
        "expenses; both rose, which fits the reading, but the data do not split expenses by operation, "
        "and the 2000s are missing",
    )


CHECKS: dict[str, Callable[[str], Check]] = {
    "years_side_by_side": years_side_by_side,
    "refugee_instrument_parties": refugee_instrument_parties,
    "iom_members_2016": iom_members_2016,
    "iom_observers_2016": iom_observers_2016,
    "un_components": un_components,
    "figure1_migrant_stock": partial(figure1_series, "international_migrants_undesa_ims2024"),
    "figure1_refugees": partial(figure1_series, "refugees_unhcr_mandate"),
    "figure1_idps": partial(figure1_series, "idps_conflict_idmc"),
    "ga_observer_1992": partial(fact_value, "iom_un_ga_observer_status_year"),
    "cooperation_agreement_1996": partial(fact_value, "un_iom_cooperation_agreement_year"),
    "mou_2013": partial(fact_value, "iom_un_mou_2013"),
    "jmdi_projects": partial(fact_value, "jmdi_phase1_projects_count"),
    "related_agency_september": partial(fact_value, "iom_un_relationship_agreement_signed_date"),
    "box1_items": box1_items,
    "china_application": china_application,
    "russia_observer": russia_observer,
    "figure2_iom_membership": figure2_iom_membership,
    "figure2_unhcr_operations": figure2_unhcr_operations,
    **{f"non_party_{iso3.lower()}": partial(non_party_state, iso3) for iso3 in NAMED_NON_PARTIES},
    "figure2_trend": figure2_trend,
    "special_rapporteur_appointment": special_rapporteur_mandate,
    "bocek_appointment": bocek_office,
    "non_parties_weighed": non_party_hosts,
}

NOT_CHECKABLE = "the briefing's own fieldwork or a source outside the data package; no official figure compiled"


def ledger() -> pd.DataFrame:
    """One row per claim: the briefing's value, the recomputed value, status and basis."""
    rows = []
    for claim in data.load("briefing_claims").itertuples():
        check = (
            CHECKS[claim.check](claim.briefing_value)
            if pd.notna(claim.check)
            else Check("—", "not checkable from data", claim.note if pd.notna(claim.note) else NOT_CHECKABLE)
        )
        rows.append(
            {
                "section": claim.section,
                "claim": claim.claim,
                "briefing": claim.briefing_value,
                "data": check.value,
                "status": check.status,
                "basis": check.basis,
            }
        )
    return pd.DataFrame(rows)
