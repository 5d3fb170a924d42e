"""German everywhere a user looks (issue 12, items 2 and 5).

One scan over every source of text a clerk sees: the CLI's help and errors (click's own too), the function
metadata Excel shows as tooltips, the findings of all example workbooks and budget plans, the task pane. Each text
is checked for English words that German does not use, developer paths and raw Python values.
"""

from __future__ import annotations

import ast
import html
import json
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pyxl import cli, cli_sprache
from pyxl.excel.beispielaufrufe import BEISPIELAUFRUFE
from pyxl.excel.server import Einstellungen, aufgabenbereich, funktionsmetadaten
from pyxl.functions import REGISTER, Aufruffehler, Eingabefehler
from pyxl.haushalt.datei import pruefe_haushaltsdatei
from pyxl.validators.pruefen import pruefe_datei
from tests import feindlich
from tests.test_haushalt import POSITIV_PLAN, SEED

WURZEL = Path(__file__).resolve().parents[1]
BEISPIELE = WURZEL / "xlsx_templates" / "beispiele"
MACROS = WURZEL / "macros"

# fmt: off
# English words and phrases a German text has no use for. Kept honest: no word German uses as well ("Status",
# "Option", "Argument", "Port", "Server", "Token" are German too), matched as whole words, case as written.
ENGLISCH = [
    r"\b[Tt]he\b", r"\b(?:is|are|was|were)\b", r"\bnot\b", r"\bof\b", r"\bfor\b", r"\band\b", r"\bto\b",
    r"\bwith\b", r"\bmust\b", r"\bshould\b", r"\bcannot\b", r"\b[Pp]lease\b", r"\b[Vv]alues?\b", r"\b[Ff]ile\b",
    r"\b[Dd]irectory\b", r"\b[Ee]rror\b", r"\b[Ii]nvalid\b", r"\bUsage\b", r"\bOptions\b", r"\bCommands\b",
    r"\b[Mm]issing\b", r"\b[Rr]equired?s?\b", r"\b[Uu]nknown\b", r"\b[Ee]xpected\b", r"\b[Ff]ound\b",
    r"\b[Ff]ailed\b", r"\b(?:un)?defined\b", r"\bNo such\b", r"\bDid you mean\b", r"\bdoes not\b", r"\bexists?\b",
    r"\bTry\b", r"\bShow this message\b", r"\bAborted\b", r"\b[Cc]hoose\b", r"\brange\b", r"\binteger\b",
    r"\b[Dd]efault\b", r"\bunexpected\b", r"\b[Ww]arning\b", r"\breadable\b", r"\bargument\b", r"\boption\b",
]
# developer paths and raw Python values
ENTWICKLER = [r"spec/", r"shared/", r"seeds/", r"\.py\b", r"\.md\b", r"Traceback", r"site-packages", r"\bb'",
              r'\bb"', r"\\x[0-9a-fA-F]{2}", r"\\u[0-9a-fA-F]{4}", r"\bNone\b", r"\bTrue\b", r"\bFalse\b",
              r"Decimal\(", r"<class "]
# fmt: on
MUSTER = re.compile("|".join(f"(?:{m})" for m in ENGLISCH + ENTWICKLER))
# what may stand in a German text although it matches: options (code the clerk types), web addresses, the file
# `pyxl doku` writes, and the placeholders of click's catalogue (filled in before anyone reads them)
ERLAUBT = re.compile(r"--?[a-z][\w-]*|https?://\S+|\b(?:funktionen|pruefregeln)\.md\b|\{\w*(?:![rs])?\}|%\(\w+\)s")


def verstoesse(texte: list[tuple[str, str]]) -> list[str]:
    funde = []
    for wo, text in texte:
        bereinigt = ERLAUBT.sub(" ", text)
        for treffer in MUSTER.finditer(bereinigt):
            funde.append(f"{wo}: {treffer.group(0)!r} in {text[:160]!r}")
    return funde


def pruefe(texte: list[tuple[str, str]]) -> None:
    assert texte, "nichts gesammelt"
    funde = verstoesse(texte)
    assert not funde, "\n".join(funde)


def test_the_scan_finds_what_it_should():
    """The scan itself: it flags click's English, paths and bytes, and lets German texts and options pass."""
    schlecht = [
        "Invalid value for '--format': 'x' is not one of 'text', 'json'.",
        "No such command 'pruefn'. Did you mean 'pruefen'?",
        "File '.' is a directory.",
        "Berichtsstatistik (spec/haushalt.md, KRM-Bericht)",
        "gefunden: b'hall'",
        "Fehler: Excel is not defined",
    ]
    assert all(verstoesse([("t", t)]) for t in schlecht)
    gut = ["Status: Vorlage eingefügt.", "Hilfe: pyxl pruefen --help", "Option --jobs braucht einen Wert",
           "Argument (x) überzählig", "Port.  [Vorgabe: 8000; 1 bis 65535]",
           "Datei funktionen.md schreiben"]  # fmt: skip
    assert verstoesse([("t", t) for t in gut]) == []


# ---- the command line ---------------------------------------------------------------------------------------


def _befehle(befehl: click.Command, pfad: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    pfade = [pfad]
    if isinstance(befehl, click.Group):
        for name, unter in befehl.commands.items():
            pfade += _befehle(unter, (*pfad, name))
    return pfade


FALSCHE_AUFRUFE = [
    ("pruefen", "--format", "x", "a.xlsx"),
    ("pruefn",),
    ("gibtsnicht",),
    ("--gibtsnicht",),
    ("pruefen", "--grenz", "a.xlsx"),
    ("pruefen", "--grenzen", ".", "a.xlsx"),
    ("pruefen", "--anlage1", ".", "a.xlsx"),
    ("pruefen", "--anlage1", "gibtsnicht.csv", "a.xlsx"),
    ("pruefen", "--jobs", "0", "a.xlsx"),
    ("pruefen", "--jobs", "x", "a.xlsx"),
    ("pruefen", "--jobs"),
    ("pruefen", "--markieren=ja", "a.xlsx"),
    ("pruefen",),
    ("haushalt", "pruefen", "--format"),
    ("haushalt", "xx"),
    ("vorlagen",),
    ("vorlagen", "xx"),
    ("serve", "--port", "99999"),
    ("serve", "--token-datei", "."),
    ("doku", "--ziel", "pyproject.toml"),
    ("bereitstellen", "--ziel", "pyproject.toml"),
    ("bereitstellen", "--url", "http://pyxl.kreis.intern"),
    ("bereitstellen", "--port", "0"),
    ("demo", "x"),
    ("fn",),
    ("fn", "RZW_NICHTS", "1"),
    ("fn", "RZW_ZUWENDUNGSSATZ"),
    ("fn", "RZW_ZUWENDUNGSSATZ", "x"),
    ("fn", "RZW_NICHTS", "--json"),
    ("fn", "RZW_KRW_KLAERANLAGE", "2,5", "--json"),
]


def test_cli_help_of_every_command_is_german():
    texte = []
    for pfad in _befehle(cli.pyxl):
        lauf = CliRunner().invoke(cli.pyxl, [*pfad, "--help"], prog_name="pyxl")
        assert lauf.exit_code == 0, lauf.output
        texte.append((" ".join(("pyxl", *pfad, "--help")), lauf.output))
    lauf = CliRunner().invoke(cli.pyxl, ["fn", "--list"])
    texte.append(("pyxl fn --list", lauf.output))
    pruefe(texte)


@pytest.mark.parametrize("argumente", FALSCHE_AUFRUFE, ids=" ".join)
def test_cli_errors_are_german_one_line_exit_2(argumente, monkeypatch, capsys, tmp_path):
    """As the console script runs them (pyxl.cli.main), and as click alone shows them (CliRunner)."""
    monkeypatch.chdir(WURZEL)
    monkeypatch.setattr(sys, "argv", ["pyxl", *argumente])
    with pytest.raises(SystemExit) as ende:
        cli.main()
    ausgabe = capsys.readouterr()
    assert ende.value.code == 2
    text = ausgabe.out + ausgabe.err
    assert text.strip()
    if "--json" in argumente:  # scripts read stdout: one JSON object with a German message
        assert ausgabe.err == "" and json.loads(ausgabe.out)["message"]
    elif argumente != ("vorlagen",):  # a group without command shows its help
        assert ausgabe.out == "" and len(ausgabe.err.splitlines()) == 1, ausgabe.err
        assert ausgabe.err.startswith("Fehler: ")
    standalone = CliRunner().invoke(cli.pyxl, list(argumente), prog_name="pyxl")
    pruefe([("main", text), ("click", standalone.output)])


def test_click_catalogue_covers_every_text_click_asks_for():
    """Every msgid in click's source has a German text: a click update with new texts fails here."""
    einzeln, mehrzahl = set(), set()
    for datei in Path(click.__file__).parent.glob("*.py"):
        for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8"))):
            if isinstance(knoten, ast.Call) and isinstance(knoten.func, ast.Name):
                texte = [a.value for a in knoten.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if knoten.func.id == "_" and texte:
                    einzeln.add(texte[0])
                elif knoten.func.id == "ngettext":
                    mehrzahl.add(tuple(texte[:2]))
    assert len(einzeln) > 50 and len(mehrzahl) > 5
    assert sorted(einzeln - cli_sprache.WOERTER.keys()) == []
    assert sorted(mehrzahl - cli_sprache.MEHRZAHL.keys()) == []
    pruefe(
        [(k, v) for k, v in cli_sprache.WOERTER.items()]
        + [(str(k), " ".join(v)) for k, v in cli_sprache.MEHRZAHL.items()]
    )


# ---- functions: Excel's tooltips, the CLI's list, the messages of wrong inputs --------------------------------


def test_function_metadata_and_messages_are_german():
    texte = []
    for eintrag in funktionsmetadaten()["functions"]:
        texte.append((eintrag["id"], eintrag["description"]))
        texte += [(f"{eintrag['id']}.{p['name']}", p["description"]) for p in eintrag["parameters"]]
    for name, eintrag in REGISTER.items():
        texte += [(name, eintrag.hilfe), (name, eintrag.regel), (name, eintrag.einheit)]
        beispiel = list(BEISPIELAUFRUFE[name])
        texte += [(f"{name} Hinweis", str(h)) for h in eintrag.auswerten(beispiel).hinweise]
        # each argument wrong in turn: text, negative, empty; and the call without arguments
        for i in range(len(beispiel)):
            for falsch in ("x", Decimal(-1), None, "1,5"):
                try:
                    eintrag.auswerten([*beispiel[:i], falsch, *beispiel[i + 1 :]])
                except (Aufruffehler, Eingabefehler) as fehler:
                    texte.append((f"{name}[{i}]={falsch}", str(fehler)))
        with pytest.raises(Aufruffehler) as fehler:
            eintrag.auswerten([])
        texte.append((f"{name}()", str(fehler.value)))
    assert len(texte) > 200
    pruefe(texte)


# ---- findings -------------------------------------------------------------------------------------------------


def _befundtexte(wo: str, bericht) -> list[tuple[str, str]]:
    return [
        (f"{wo}: {b.regel}.{feld}", wert)
        for b in bericht.befunde
        for feld in ("meldung", "erwartet", "gefunden", "fundstelle")
        if (wert := getattr(b, feld))
    ]


def test_findings_of_all_examples_are_german(tmp_path):
    texte = []
    beispiele = sorted(BEISPIELE.glob("*.xlsx"))
    assert len(beispiele) >= 15
    for datei in beispiele:
        texte += _befundtexte(datei.name, pruefe_datei(datei))
    # what clerks submit by mistake: no zip at all
    for name, inhalt in (("text.xlsx", b"hallo welt"), ("pdf.xlsx", b"%PDF-1.4\n"), ("bin.xlsx", b"\x00\x01\xfe\xff")):
        (tmp_path / name).write_bytes(inhalt)
        texte += _befundtexte(name, pruefe_datei(tmp_path / name))
    assert any("Textdatei, beginnt mit „hallo we“" in t for _w, t in texte)
    # and manipulated ones, as the gate's tests build them
    for bauen in (feindlich.abgeschnitten, feindlich.umbenannt, feindlich.mit_dde_formel, feindlich.negativer_textindex,
                  feindlich.verwechselbare_kopie, lambda z: feindlich.mit_blattzustand(z, "veryHidden")):  # fmt: skip
        datei = bauen(tmp_path / "feindlich.xlsx")
        texte += _befundtexte(f"feindlich/{getattr(bauen, '__name__', 'blattzustand')}", pruefe_datei(datei))
    (tmp_path / "plan.txt").write_text(POSITIV_PLAN, encoding="utf-8")
    for datei in (SEED, tmp_path / "plan.txt"):
        texte += _befundtexte(datei.name, pruefe_haushaltsdatei(datei))
    assert len(texte) > 100
    pruefe(texte)


# ---- task pane --------------------------------------------------------------------------------------------------


class _Sichtbar(HTMLParser):
    """The text of a page as a reader sees it, plus its title and label attributes (tooltips, group names)."""

    def __init__(self) -> None:
        super().__init__()
        self.texte: list[str] = []
        self._skript = False

    def handle_starttag(self, tag, attrs):
        self._skript = tag in ("script", "style")
        self.texte += [wert for name, wert in attrs if name in ("title", "label", "aria-label", "placeholder") and wert]

    def handle_endtag(self, tag):
        self._skript = False

    def handle_data(self, data):
        if not self._skript and data.strip():
            self.texte.append(data.strip())


def _js_texte(code: str) -> list[str]:
    """String literals of a script that read as a sentence (two words), comments left out."""
    token = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|`(?:[^`\\]|\\.)*`|//[^\n]*|/\*.*?\*/', re.S)
    literale = [t.group(0)[1:-1] for t in token.finditer(code) if t.group(0)[0] in "\"'`"]
    return [t for t in literale if re.search(r"[A-Za-zÄÖÜäöüß]{2,} [A-Za-zÄÖÜäöüß„(]", t)]


def _seite() -> str:
    return aufgabenbereich(Einstellungen())


def test_task_pane_texts_are_german():
    leser = _Sichtbar()
    leser.feed(_seite())
    leser.feed((MACROS / "anmeldung.html").read_text(encoding="utf-8"))  # and the sign-in dialog's page
    texte = [("taskpane.html", t) for t in leser.texte]
    for name in ("static/pyxl-addin.js", "custom-functions.js", "static/anmeldung.js"):
        datei = MACROS / name
        texte += [(datei.name, t) for t in _js_texte(datei.read_text(encoding="utf-8"))]
    css = (MACROS / "static" / "pyxl.css").read_text(encoding="utf-8")
    texte += [("pyxl.css", t) for t in re.findall(r'content:\s*"([^"]*)"', css)]
    assert any("Office.js nicht geladen" in t for _w, t in texte)
    pruefe(texte)


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js fehlt (nur für diesen Test der JS-Verbindung)")
@pytest.mark.parametrize(
    ("fall", "meldung", "hinweis"),
    [
        ("ohne_office", "Office.js nicht geladen oder Seite außerhalb von Excel geöffnet", True),
        ("ohne_excel", "Office.js nicht geladen oder Seite außerhalb von Excel geöffnet", True),
        ("ohne_server", "pyxl-Server nicht erreichbar", False),
        ("js_fehler", "Interner Fehler im Aufgabenbereich", False),
    ],
)
def test_task_pane_without_excel_says_so_in_german(fall, meldung, hinweis):
    """Where the browser would say "Excel is not defined", "Failed to fetch" or "Cannot read properties of null"."""
    lauf = subprocess.run(
        ["node", str(WURZEL / "tests" / "js" / "ohne_excel.mjs"), str(MACROS / "static" / "pyxl-addin.js"), fall],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    ergebnis = json.loads(lauf.stdout)
    assert ergebnis["fehler"].startswith(meldung) and ergebnis["hinweis"] is hinweis
    pruefe([(fall, ergebnis["fehler"])])


SICHTBAR = 28  # characters a closed list box shows at the pane's 320 px (measured in Chromium: about 31)


def test_form_names_tell_the_forms_apart_at_the_panes_width():
    """Item 5: at 320–350 px the list box shows a form's start; the ÖPNV forms must differ there."""
    seite = _seite()
    optionen = re.findall(r'<option value="([^"]+)" title="([^"]+)">([^<]+)</option>', seite)
    assert len(optionen) == len(re.findall("<option ", seite)) >= 9
    anfaenge = [html.unescape(text)[:SICHTBAR] for _k, _t, text in optionen]
    assert len(set(anfaenge)) == len(anfaenge), anfaenge
    oepnv = [html.unescape(text) for k, _t, text in optionen if k.startswith("OEPNV")]
    assert len(oepnv) == 4 and len({t[:SICHTBAR] for t in oepnv}) == 4
    for _kennung, titel, text in optionen:  # the full name on hover and in the line under the box
        titel = html.unescape(titel)
        assert html.unescape(text).split(": ")[-1] in titel and " – " in titel
    assert re.search(r'<p id="formularname" class="formularname">Anlage 3a zu den RZWas 2005 – Ermittlung', seite)
    gruppen = re.findall(r'<optgroup label="([^"]+)">', seite)
    assert gruppen[0] == "RZWas 2005" and any(g.startswith("Satzung über Höchsttarife") for g in gruppen)
