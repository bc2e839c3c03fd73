"""Classifying a situation: its status under each definition (:func:`classify`) and why (:func:`explain`).

What is simplified, on purpose: the exclusion (art. 1F) and most cessation clauses (art. 1C)
of the 1951 Convention are not modelled (only return home, art. 1C(4)); regional refugee
definitions (OAU 1969, Cartagena 1984) enter only as UNHCR's wider mandate; "changes country
of usual residence" is read as "crossed a border and stays" with the stated duration. Read
literally, IOM's definition disregards the length of stay, so it does not set short visits
apart; the classifier follows the text.
"""

from __future__ import annotations

from collections.abc import Callable

from .criteria import (
    DEFINITIONS,
    EXCLUDED_1D,
    IOM,
    LONG_TERM,
    LONG_TERM_RETURNING,
    MIGRANT_INTERNAL,
    MIGRANT_INTERNATIONAL,
    MIGRANT_RETURN,
    NOT_COUNTED,
    NOT_MIGRANT,
    NOT_REFUGEE,
    REFUGEE,
    REFUGEE_1D,
    SHORT_TERM,
    UNDESA,
    UNHCR,
    WIDER_MANDATE,
)
from .situation import LONG_TERM_MONTHS, NO_GROUND, SHORT_TERM_MONTHS, Situation


def convention_tests(s: Situation) -> dict[str, bool]:
    """The four cumulative conditions of art. 1A(2), each with its result."""
    return {
        "outside the country of nationality or former habitual residence": s.outside_country_of_origin,
        "well-founded fear of being persecuted": s.well_founded_fear,
        "for race, religion, nationality, social group or political opinion": (s.convention_ground != NO_GROUND),
        "cannot or will not rely on that country's protection": s.protection_unavailable,
    }


def unhcr_status(s: Situation) -> str:
    """Status under the 1951 Convention (art. 1A(2), with art. 1D for Palestine refugees)."""
    if s.palestine_refugee and s.in_unrwa_area:
        return EXCLUDED_1D
    if s.palestine_refugee and s.outside_country_of_origin and not s.voluntary:
        return REFUGEE_1D  # left UNRWA's area for reasons beyond their control (UNHCR's reading)
    if all(convention_tests(s).values()):
        return REFUGEE
    if s.outside_country_of_origin and s.fled_conflict_or_violence:
        return WIDER_MANDATE
    return NOT_REFUGEE


def iom_status(s: Situation) -> str:
    """Status under IOM's umbrella definition: any move away from home counts."""
    if s.returned_to_origin:
        return MIGRANT_RETURN
    if s.crossed_border:
        return MIGRANT_INTERNATIONAL
    if s.moved_within_state:
        return MIGRANT_INTERNAL
    return NOT_MIGRANT


def undesa_status(s: Situation) -> str:
    """Status under the 1998 UN Recommendations: change of country of residence and duration."""
    if not s.crossed_border:
        return NOT_COUNTED
    if s.months_of_stay >= LONG_TERM_MONTHS:
        return LONG_TERM_RETURNING if s.returned_to_origin else LONG_TERM
    if s.months_of_stay >= SHORT_TERM_MONTHS and not s.visit_purpose:
        return SHORT_TERM
    return NOT_COUNTED


_STATUS_FUNCTIONS: dict[str, Callable[[Situation], str]] = {UNHCR: unhcr_status, IOM: iom_status, UNDESA: undesa_status}


def classify(situation: Situation) -> dict[str, str]:
    """The status of ``situation`` under each definition (keys: UNHCR, IOM, UN DESA)."""
    return {key: status(situation) for key, status in _STATUS_FUNCTIONS.items()}


def is_included(definition: str, status: str) -> bool:
    """Whether ``status`` means the person falls within ``definition``."""
    return status in DEFINITIONS[definition].included


def explain(s: Situation) -> dict[str, str]:
    """One sentence per definition saying which criteria decided the status."""
    status = classify(s)
    tests = convention_tests(s)
    if status[UNHCR] == EXCLUDED_1D:
        unhcr = "Palestine refugee in UNRWA's area: art. 1D places the person outside the Convention."
    elif status[UNHCR] == REFUGEE_1D:
        unhcr = (
            "Palestine refugee who had to leave UNRWA's area: UNRWA's assistance has ceased, "
            "so art. 1D brings the person under the Convention."
        )
    elif status[UNHCR] == REFUGEE:
        unhcr = f"All four conditions of art. 1A(2) are met (ground: {s.convention_ground})."
    else:
        missing = "; ".join(name for name, ok in tests.items() if not ok)
        unhcr = f"Art. 1A(2) fails on: {missing}."
        if s.returned_to_origin and s.former_refugee:
            unhcr += " Having gone home, the former refugee's status has ceased (art. 1C(4))."
        if status[UNHCR] == WIDER_MANDATE:
            unhcr += (
                " Fleeing conflict or generalised violence falls under regional definitions "
                "and UNHCR's wider mandate instead."
            )
    if status[IOM] == NOT_MIGRANT:
        iom = "Has not moved away from the habitual place of residence."
    else:
        where = {
            MIGRANT_INTERNATIONAL: "across an international border",
            MIGRANT_INTERNAL: "within a State",
            MIGRANT_RETURN: "across a border and back (return migration)",
        }[status[IOM]]
        iom = f"Moved {where}; legal status, voluntariness, causes and length of stay are disregarded."
    if not s.crossed_border:
        desa = "Has not changed country of usual residence."
    elif status[UNDESA] == NOT_COUNTED:
        reason = (
            "a visit"
            if s.visit_purpose and s.months_of_stay >= SHORT_TERM_MONTHS
            else (f"under {SHORT_TERM_MONTHS} months")
        )
        desa = f"Stay of {s.months_of_stay} months is {reason}: not a migration."
    else:
        desa = f"Changed country of usual residence for {s.months_of_stay} months."
    return {UNHCR: unhcr, IOM: iom, UNDESA: desa}
