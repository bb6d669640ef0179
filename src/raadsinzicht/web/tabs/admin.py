"""Beheer / Over: what runs (model, embedder, index, jobs), and for admins the impact in
numbers and plots (with a CSV for the monthly report), the DPIA building block, purging
expired records; and the audit log (one's own records; an admin's: everyone's)."""

from __future__ import annotations

from datetime import date
from typing import Any

import gradio as gr
import pandas as pd

from ...dpia import render_dpia
from ..format import (
    AUDIT_ACTIONS,
    about_markdown,
    audit_html,
    feedback_html,
    impact_html,
    impact_periods_html,
    status_html,
)
from ..shell import Shell

__all__ = ["AdminTab", "plot_frame"]

PLOT_HEIGHT = 280
# Plots of ImpactReport.series(): (unit of the rows shown, title, y axis title).
PLOTS = (
    ("aantal", "Gebruik", "aantal"),
    ("beoordelingen", "Beoordelingen", "aantal"),
    ("uur", "Bespaarde tijd (schatting)", "uren (schatting)"),
)


def plot_frame(rows: list[dict[str, Any]], unit: str) -> pd.DataFrame:
    """The long-format rows of one unit, for a Gradio plot (x: period, colour: measure)."""
    frame = pd.DataFrame(
        [row for row in rows if row["unit"] == unit],
        columns=["period", "label", "start", "measure", "unit", "value"],
    )
    return frame.rename(columns={"period": "periode", "measure": "wat", "value": "waarde"})


class AdminTab:
    """Layout (built in the constructor, inside ``gr.Tab``) and handlers."""

    def __init__(self, shell: Shell) -> None:
        self.shell = shell
        self.about = gr.Markdown("", elem_id="over")
        self.about_button = gr.Button("Vernieuwen", variant="secondary")

        # For admins: everyone without roles; with roles shown on page load for admins.
        everyone = not shell.engine.access.roles_enabled
        with gr.Column(visible=everyone, elem_id="impact") as self.admin_only:
            gr.Markdown(
                "## Impact\nWat raadsinzicht oplevert, uit het auditlog: gebruik, kwaliteit, "
                "beoordelingen en een **schatting** van de bespaarde tijd."
            )
            with gr.Row():
                self.impact_since = gr.Textbox(
                    label="Vanaf datum",
                    placeholder="leeg = de laatste 13 weken",
                    elem_id="impact-vanaf",
                )
                self.impact_until = gr.Textbox(
                    label="Tot en met datum", placeholder="leeg = vandaag", elem_id="impact-tot"
                )
                self.period = gr.Radio(
                    choices=[("Per week", "week"), ("Per maand", "month")],
                    value="week",
                    label="Indeling",
                    elem_id="impact-indeling",
                )
            self.impact_button = gr.Button("Impact tonen", variant="primary")
            self.impact_summary = gr.HTML("", elem_id="impact-overzicht")
            # Counts and the estimate as lines (measures side by side, not stacked);
            # the judgements as stacked bars (up and down add up to all judgements).
            self.plots = [
                (gr.BarPlot if unit == "beoordelingen" else gr.LinePlot)(
                    x="periode",
                    y="waarde",
                    color="wat",
                    title=title,
                    x_title="periode",
                    y_title=y_title,
                    color_title="",
                    x_label_angle=-45,
                    height=PLOT_HEIGHT,
                    label=title,
                    elem_id=f"impact-plot-{unit}",
                )
                for unit, title, y_title in PLOTS
            ]
            self.impact_table = gr.HTML("", elem_id="impact-perioden")
            self.feedback_table = gr.HTML("", elem_id="impact-beoordelingen")
            self.csv = gr.DownloadButton(
                "Download als CSV (voor de maandrapportage)", visible=False, variant="secondary"
            )

            gr.Markdown(
                "## DPIA-bouwsteen\nBeschrijft uit de actuele configuratie welke "
                "persoonsgegevens verwerkt worden, waar ze staan, de pseudonimisering, wie "
                "wat ziet, de bewaartermijnen en waar het model draait. De gemeente vult "
                "rechtsgrond, noodzaak en risico's zelf in."
            )
            self.dpia_button = gr.Button("DPIA-bouwsteen maken", variant="secondary")
            self.dpia = gr.Markdown("", latex_delimiters=[], elem_id="dpia")
            self.dpia_download = gr.DownloadButton(
                "Download DPIA-bouwsteen (.md)", visible=False, variant="secondary"
            )

            gr.Markdown(
                "## Opschonen\nVerwijdert auditrecords, beoordelingen en pseudoniemen die "
                "ouder zijn dan hun bewaartermijn (en dan de gekozen datum). Wat binnen de "
                "bewaartermijn valt, blijft altijd staan. Het opschonen zelf wordt gelogd."
            )
            with gr.Row():
                self.purge_before = gr.Textbox(
                    label="Alleen van vóór datum (optioneel)",
                    placeholder="leeg = alles wat verlopen is",
                    elem_id="opschonen-datum",
                )
                self.purge_button = gr.Button("Verlopen records verwijderen", variant="stop")
            self.purge_status = gr.HTML("", elem_id="opschonen-status")

        gr.Markdown("## Auditlog\nElke vraag en samenvatting, met bronnen en model.")
        with gr.Row():
            self.action = gr.Dropdown(
                choices=[("Alle", ""), *((label, key) for key, label in AUDIT_ACTIONS.items())],
                value="",
                label="Actie",
            )
            self.by_user = gr.Textbox(label="Gebruiker", placeholder="bijv. jansen")
            self.since = gr.Textbox(label="Vanaf datum", placeholder="bijv. 2025-01-01")
            self.text = gr.Textbox(label="Zoek in vraag of antwoord")
        self.audit_button = gr.Button("Auditlog tonen", variant="primary")
        self.audit = gr.HTML("", elem_id="auditlog")

    # -- overview -------------------------------------------------------------------------

    def is_admin(self, request: gr.Request | None) -> bool:
        return self.shell.engine.access.is_admin(self.shell.user(request))

    def overview(
        self, problem: str | None, request: gr.Request | None, *, probe: bool = False
    ) -> str:
        engine = self.shell.engine
        if probe:
            problem = engine.model_status()
        model = engine.llm().name if problem is None else ""
        return about_markdown(
            engine.settings,
            engine.index_status(),
            model=model,
            problem=problem,
            show_paths=self.is_admin(request),
        )

    def refresh(self, request: gr.Request) -> str:
        return self.overview(None, request, probe=True)

    def on_load(self, problem: str | None, request: gr.Request) -> tuple[Any, ...]:
        """Updates for ``load_outputs()``: the overview, and the admin's sections only for
        admins (the Engine refuses others anyway)."""
        return (
            self.overview(problem, request),
            gr.Column(visible=self.is_admin(request)),
            self.first_audit_log(request),
        )

    def load_outputs(self) -> list[Any]:
        return [self.about, self.admin_only, self.audit]

    # -- impact, DPIA, purge --------------------------------------------------------------

    def impact(
        self, since: str | None, until: str | None, period: str | None, request: gr.Request
    ) -> tuple[Any, ...]:
        shell = self.shell
        period = period if period in ("week", "month") else "week"
        with shell.errors():
            filters = shell.filters(None, since, until, None, None)
            report = shell.engine.impact(filters.since, filters.until, user=shell.user(request))
        rows = report.series(period)
        csv_path = shell.download_folder() / (
            f"raadsinzicht-impact-{report.since.isoformat()}-{report.until.isoformat()}"
            f"-per-{'week' if period == 'week' else 'maand'}.csv"
        )
        csv_path.write_text(report.to_csv(period), encoding="utf-8")
        return (
            impact_html(report),
            *(plot_frame(rows, unit) for unit, _, _ in PLOTS),
            impact_periods_html(report, period),
            feedback_html(report.feedback),
            gr.DownloadButton(value=str(csv_path), visible=True),
        )

    def impact_outputs(self) -> list[Any]:
        return [
            self.impact_summary,
            *self.plots,
            self.impact_table,
            self.feedback_table,
            self.csv,
        ]

    def make_dpia(self, request: gr.Request) -> tuple[str, Any]:
        shell = self.shell
        with shell.errors():
            fields = shell.engine.dpia(user=shell.user(request))
        text = render_dpia(fields)
        path = shell.download_folder() / f"dpia-raadsinzicht-{date.today().isoformat()}.md"
        path.write_text(text, encoding="utf-8")
        return text, gr.DownloadButton(value=str(path), visible=True)

    def purge(self, before: str | None, request: gr.Request) -> str:
        shell = self.shell
        with shell.errors():
            day = shell.filters(None, before, None, None, None).since
            report = shell.engine.purge(day, user=shell.user(request))
        summary = report.summary()
        text = summary[:1].upper() + summary[1:] + "."
        if report.limited:
            text += (
                " Een deel van de gekozen periode valt nog binnen de bewaartermijn en bleef staan."
            )
        return status_html(text)

    # -- audit log ------------------------------------------------------------------------

    def audit_log(
        self,
        action: str | None,
        by_user: str | None,
        since: str | None,
        text: str | None,
        request: gr.Request,
    ) -> str:
        shell = self.shell
        with shell.errors():
            day = shell.filters(None, since, None, None, None).since
            records = shell.engine.audit_records(
                action=action or None,
                by_user=by_user,
                since=day,
                text=text,
                user=shell.user(request),
            )
        return audit_html(records)

    def first_audit_log(self, request: gr.Request) -> str:
        return self.audit_log(None, None, None, None, request)

    def wire(self) -> None:
        self.about_button.click(self.refresh, outputs=self.about, api_visibility="private")
        self.impact_button.click(
            self.impact,
            inputs=[self.impact_since, self.impact_until, self.period],
            outputs=self.impact_outputs(),
            concurrency_limit=2,
            api_visibility="private",
        )
        self.dpia_button.click(
            self.make_dpia, outputs=[self.dpia, self.dpia_download], api_visibility="private"
        )
        self.purge_button.click(
            self.purge,
            inputs=self.purge_before,
            outputs=self.purge_status,
            concurrency_limit=1,
            api_visibility="private",
        )
        self.audit_button.click(
            self.audit_log,
            inputs=[self.action, self.by_user, self.since, self.text],
            outputs=self.audit,
            concurrency_limit=2,
            api_visibility="private",
        )
