"""German for click's own words: ``--help`` ("Usage:", "Options", …) and every error click reports itself
("Invalid value for …", "No such command … Did you mean …", "… is a directory"): clerks read German.

click asks ``gettext`` for each of these texts but ships no German catalogue. Binding a process-wide gettext
domain would reach into every other library, so a small catalogue (:class:`KlickDeutsch`) is installed as ``_``
and ``ngettext`` in click's own modules only. ``tests/test_deutsch_ueberall.py`` checks that it covers every text
click's source asks for, so a click update with new texts shows up there.

A translation may drop click's ``!r`` (Python quotes): the catalogue's text is what click formats.
"""

from __future__ import annotations

import gettext
import sys

import click

# click's msgid → German. Texts that only a programmer sees (a wrongly declared option) are translated too:
# one rule, no list of exceptions to keep.
WOERTER = {
    # help
    "Usage:": "Aufruf:",
    "Options": "Optionen",
    "Commands": "Befehle",
    "Positional arguments": "Argumente",
    "Show this message and exit.": "Diese Hilfe anzeigen und beenden.",
    "Show the version and exit.": "Version anzeigen und beenden.",
    "%(prog)s, version %(version)s": "%(prog)s, Version %(version)s",
    "default: {default}": "Vorgabe: {default}",
    "required": "Pflicht",
    "env var: {var}": "Umgebungsvariable: {var}",
    "(dynamic)": "(wechselnd)",
    "deprecated": "veraltet",
    "Do you want to continue?": "Fortfahren?",
    "Confirm the action without prompting.": "Ohne Rückfrage bestätigen.",
    # errors and how they are shown
    "Error: {message}": "Fehler: {message}",
    "Try '{command} {option}' for help.": "Hilfe: {command} {option}",
    "Aborted!": "Abgebrochen.",
    "unknown error": "unbekannter Fehler",
    "Missing command.": "Befehl fehlt.",
    "No such command {name!r}.": "Unbekannter Befehl „{name}“.",
    "No such option {name!r}.": "Unbekannte Option {name}.",
    "Missing argument": "Fehlendes Argument",
    "Missing option": "Fehlende Option",
    "Missing parameter": "Fehlende Angabe",
    "Missing {param_type}": "Fehlende Angabe",
    "Missing parameter: {param_name}": "Fehlende Angabe: {param_name}",
    "Invalid value: {message}": "Ungültige Angabe: {message}",
    "Invalid value for {param_hint}: {message}": "Ungültige Angabe für {param_hint}: {message}",
    "Value must be an iterable.": "Hier gehört eine Liste von Werten hin.",
    "Invalid start character for option ({option})": "Ungültiges erstes Zeichen einer Option ({option})",
    "Option {name!r} does not take a value.": "Option {name} nimmt keinen Wert.",
    "Argument {name!r} takes {nargs} values.": "Argument {name} braucht {nargs} Werte.",
    "Could not open file {filename!r}: {message}": "Datei „{filename}“ lässt sich nicht öffnen: {message}",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": (
        "Hinweis: Der Befehl „{name}“ ist veraltet.{extra_message}"
    ),
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": (
        "Hinweis: „{name}“ ist veraltet.{extra_message}"
    ),
    # types: the name of a click.Path is set when it is built ("Datei", "Ordner"), then used with .title()
    "file": "Datei",
    "directory": "Ordner",
    "path": "Pfad",
    "{name} {filename!r} does not exist.": "{name} „{filename}“ gibt es nicht.",
    "{name} {filename!r} is a file.": "{name} „{filename}“ ist eine Datei, kein Ordner.",
    "{name} {filename!r} is a directory.": "{name} „{filename}“ ist ein Ordner, keine Datei.",
    "{name} {filename!r} is not readable.": "{name} „{filename}“ ist nicht lesbar (fehlende Berechtigung).",
    "{name} {filename!r} is not writable.": "{name} „{filename}“ ist schreibgeschützt.",
    "{name} {filename!r} is not executable.": "{name} „{filename}“ ist nicht ausführbar.",
    "Choose from:\n\t{choices}": "Zur Wahl:\n\t{choices}",
    "Choice({choices})": "Auswahl({choices})",
    "{value} is not in the range {range}.": "{value} liegt nicht im erlaubten Bereich ({range}).",
    # click names the number type in English ("integer range"): the German text leaves it out
    "{value!r} is not a valid {number_type}.": "„{value}“ ist keine gültige Zahl.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "„{value}“ ist kein Ja/Nein-Wert. Erlaubt: {states}"
    ),
    "{value!r} is not a valid UUID.": "„{value}“ ist keine gültige UUID.",
    # terminal
    "Press any key to continue...": "Weiter mit einer beliebigen Taste …",
    "Repeat for confirmation": "Zur Bestätigung wiederholen",
    "Error: The two entered values do not match.": "Fehler: Die beiden Eingaben stimmen nicht überein.",
    "Error: invalid input": "Fehler: ungültige Eingabe",
    "Unknown color {colour!r}": "Unbekannte Farbe „{colour}“",
    "d": "T",  # days in a progress bar's remaining time
    "{editor}: Editing failed": "{editor}: Bearbeiten fehlgeschlagen",
    "{editor}: Editing failed: {e}": "{editor}: Bearbeiten fehlgeschlagen: {e}",
    "Windows error: {error}": "Windows-Fehler: {error}",
    "Unknown standard stream '{name}'": "Unbekannter Standardkanal „{name}“",
    "Couldn't detect Bash version, shell completion is not supported.": (
        "Bash-Version nicht erkannt: keine Vervollständigung in der Shell."
    ),
    "Shell completion is not supported for Bash versions older than 4.4.": (
        "Vervollständigung in der Shell erst ab Bash 4.4."
    ),
    # declaring a command wrongly (programmers only)
    "Boolean option {decl!r} cannot use the same flag for true/false.": (
        "Schalter {decl!r}: derselbe Name für Ja und Nein geht nicht."
    ),
    "Could not determine name for option with declarations {decls!r}": (
        "Name der Option aus {decls!r} nicht bestimmbar"
    ),
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? "
    "Did you mean to pass '--{name}'?": "Keine Option angegeben, nur ein Name ({name}): ein Argument oder '--{name}'?",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": (
        "Ein Argument hat genau eine Angabe, erhalten {length}: {decls}."
    ),
    "Name '{name}' defined twice": "Name „{name}“ doppelt vergeben",
}

# (singular, plural) → German (singular, plural)
MEHRZAHL = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): (
        "Meinten Sie {possibility}?",
        "(Meinten Sie eines davon: {possibilities}?)",
    ),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): (
        "Überzähliges Argument ({args})",
        "Überzählige Argumente ({args})",
    ),
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): (
        "Erwartet {nargs} Werte, erhalten: 1.",
        "Erwartet {nargs} Werte, erhalten: {len}.",
    ),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): (
        "Option {name} braucht einen Wert.",
        "Option {name} braucht {nargs} Werte.",
    ),
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): (
        "„{value}“ ist nicht erlaubt, nur {choice}.",
        "„{value}“ ist keiner der erlaubten Werte {choices}.",
    ),
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."): (
        "„{value}“ passt nicht zum Format {format}.",
        "„{value}“ passt zu keinem der Formate {formats}.",
    ),
    (
        "{len_type} values are required, but {len_value} was given.",
        "{len_type} values are required, but {len_value} were given.",
    ): (
        "{len_type} Werte erforderlich, erhalten: {len_value}.",
        "{len_type} Werte erforderlich, erhalten: {len_value}.",
    ),
}

# every click module that imports gettext's ``_``/``ngettext``
MODULE = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "shell_completion",
    "termui",
    "types",
    "utils",
    "_termui_impl",
    "_winconsole",
)


class KlickDeutsch(gettext.NullTranslations):
    """The German catalogue for click's texts; a text it does not know stays as it is."""

    def gettext(self, message: str) -> str:
        return WOERTER.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        einzahl, mehrzahl = MEHRZAHL.get((msgid1, msgid2), (msgid1, msgid2))
        return einzahl if n == 1 else mehrzahl


KATALOG = KlickDeutsch()


def einschalten() -> None:
    """Install the catalogue in click's modules; before any click.Path is built (its name is translated then).

    Only modules already loaded: ``import click`` loads those of help and errors (and _winconsole on Windows);
    the others (progress bar, editor, shell completion) pyxl does not use, and importing them would slow the start.
    """
    for name in MODULE:
        modul = sys.modules.get(f"click.{name}")
        if modul is None:
            continue
        if hasattr(modul, "_"):
            modul._ = KATALOG.gettext  # type: ignore[attr-defined]
        if hasattr(modul, "ngettext"):
            modul.ngettext = KATALOG.ngettext  # type: ignore[attr-defined]


class Bereich(click.IntRange):
    """A whole number in a range, described in words ("1 bis 64") in help and errors instead of "1<=x<=64"."""

    def _describe_range(self) -> str:
        if self.min_open or self.max_open:
            return super()._describe_range()
        if self.min is None:
            return f"höchstens {self.max}"
        if self.max is None:
            return f"mindestens {self.min}"
        return f"{self.min} bis {self.max}"


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
