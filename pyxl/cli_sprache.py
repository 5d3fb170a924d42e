"""German for click's own words in ``--help`` ("Usage:", "Options", …): clerks read German.

click marks these words with ``gettext`` but ships no German catalogue; binding a process-wide gettext domain
would reach into every other library. The few words are mapped here instead, in click's modules only.
"""

from __future__ import annotations

import click.core
import click.decorators
import click.formatting

WOERTER = {
    "Usage:": "Aufruf:",
    "Options": "Optionen",
    "Commands": "Befehle",
    "Positional arguments": "Argumente",
    "Show this message and exit.": "Diese Hilfe anzeigen und beenden.",
    "Show the version and exit.": "Version anzeigen und beenden.",
    "default: {default}": "Vorgabe: {default}",
    "required": "Pflicht",
    "env var: {var}": "Umgebungsvariable: {var}",
    "Aborted!": "Abgebrochen.",
    "deprecated": "veraltet",
}


def _deutsch(text: str) -> str:
    return WOERTER.get(text, text)


def einschalten() -> None:
    for modul in (click.core, click.decorators, click.formatting):
        modul._ = _deutsch  # type: ignore[attr-defined]


def metavariablen(befehl: click.Command) -> None:
    """German placeholders ([OPTIONEN], DATEI, ORDNER, ZAHL) on a command tree, set once after it is built."""
    befehl.options_metavar = "[OPTIONEN]"
    if isinstance(befehl, click.Group):
        befehl.subcommand_metavar = "BEFEHL [ARGUMENTE]..."
        for unter in befehl.commands.values():
            metavariablen(unter)
    for parameter in befehl.params:
        if parameter.metavar is not None or not isinstance(parameter, click.Option):
            continue
        if isinstance(parameter.type, click.Path):
            parameter.metavar = "ORDNER" if not parameter.type.file_okay else "DATEI"
        elif isinstance(parameter.type, click.IntRange | click.types.IntParamType):
            parameter.metavar = "ZAHL"
