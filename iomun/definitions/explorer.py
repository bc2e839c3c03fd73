"""The live classifier: ipywidgets controls for every criterion (needs a kernel)."""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..palette import ALERT_TEXT, MUTED_TEXT
from .archetypes import ARCHETYPES
from .classification import classify, explain
from .criteria import CRITERIA, DEFINITIONS, Criterion
from .lead_rules import lead_rule
from .situation import CONVENTION_GROUNDS, LEGAL_STATUSES, NO_GROUND, Situation

CUSTOM = "(your own case)"


GRID_COLUMNS = "repeat(auto-fit, minmax(min(40em, 100%), 1fr))"


class LiveClassifier(widgets.VBox):
    """Controls for every criterion and a table of the status under each definition.

    ``controls`` maps each :class:`Situation` field to its widget; ``result`` is the HTML
    widget that observers rewrite whenever a control changes; ``preset`` loads an archetype.
    """

    def __init__(self, start: str = next(iter(ARCHETYPES))) -> None:
        self.controls: dict[str, widgets.ValueWidget] = {c.field: _control(c) for c in CRITERIA}
        self.preset = widgets.Dropdown(
            options=[CUSTOM, *ARCHETYPES],
            value=CUSTOM,
            description="Start from:",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="32em", max_width="100%"),
        )
        self.result = widgets.HTML()
        self._loading = False
        for control in self.controls.values():
            control.observe(self._on_control, names="value")
        self.preset.observe(self._on_preset, names="value")
        # two columns where there is room, one in a narrow notebook (JupyterLab at 1,280 px with the
        # file browser open leaves outputs about 850 px): the controls never push the page sideways
        grid = widgets.GridBox(
            list(self.controls.values()),
            layout=widgets.Layout(grid_template_columns=GRID_COLUMNS, grid_gap="2px 16px", max_width="100%"),
        )
        super().__init__([self.preset, grid, self.result])
        self.preset.value = start if start in ARCHETYPES else CUSTOM
        self._render()

    def situation(self) -> Situation:
        """The situation the controls describe (raises ValueError if contradictory)."""
        return Situation(**{name: control.value for name, control in self.controls.items()})

    def load(self, situation: Situation) -> None:
        """Set every control from ``situation`` and redraw once."""
        self._loading = True
        try:
            for name, control in self.controls.items():
                control.value = getattr(situation, name)
        finally:
            self._loading = False
        self._render()

    def _on_preset(self, change: dict) -> None:
        if change["new"] in ARCHETYPES:
            self.load(ARCHETYPES[change["new"]])

    def _on_control(self, _change: dict) -> None:
        if self._loading:
            return
        if self.preset.value != CUSTOM:
            self._loading = True
            self.preset.value = CUSTOM
            self._loading = False
        self._render()

    def _render(self) -> None:
        try:
            situation = self.situation()
        except ValueError as exc:
            self.result.value = f'<p style="color:{ALERT_TEXT}"><b>Not a possible case:</b> {html.escape(str(exc))}</p>'
            return
        self.result.value = situation_html(situation)


def _control(criterion: Criterion) -> widgets.ValueWidget:
    default = getattr(Situation(), criterion.field)
    layout = widgets.Layout(width="auto")
    if criterion.field == "convention_ground":
        return widgets.Dropdown(
            options=[NO_GROUND, *CONVENTION_GROUNDS],
            value=default,
            description=criterion.question,
            layout=layout,
            style={"description_width": "initial"},
        )
    if criterion.field == "legal_status":
        return widgets.Dropdown(
            options=list(LEGAL_STATUSES),
            value=default,
            description=criterion.question,
            layout=layout,
            style={"description_width": "initial"},
        )
    if criterion.field == "months_of_stay":
        return widgets.IntSlider(
            value=default,
            min=0,
            max=120,
            description=criterion.question,
            layout=layout,
            style={"description_width": "initial"},
        )
    return widgets.Checkbox(value=default, description=criterion.question, indent=False, layout=layout)


def situation_html(situation: Situation) -> str:
    """An HTML table: status and reason under each definition, then the lead entity."""
    status = classify(situation)
    reasons = explain(situation)
    rule = lead_rule(situation)
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(DEFINITIONS[key].name)}</th>"
        f"<td><b>{html.escape(status[key])}</b></td><td>{html.escape(reasons[key])}</td></tr>"
        for key in DEFINITIONS
    )
    return (
        "<table><thead><tr><th>Definition</th><th>Status</th><th>Why</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        f"<p><b>Lead UN entity:</b> {html.escape(rule.entity())} "
        f"<span style='color:{MUTED_TEXT}'>(rule: {html.escape(rule.applies_to)})</span></p>"
    )


def live_classifier(start: str = next(iter(ARCHETYPES))) -> LiveClassifier:
    """The live explorer, starting from archetype ``start``."""
    return LiveClassifier(start)
