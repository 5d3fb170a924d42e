"""The ``pyxl`` command line: a thin adapter over the registry, the templates and the validators.

Exit codes: 0 done, 1 findings (validators), 2 the call or an input was wrong. Every message is German.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import NoReturn

import click

from pyxl import __version__, cli_sprache
from pyxl.bereitstellung import Bereitstellung, dateien
from pyxl.functions import Aufruffehler, Eingabefehler, Funktion, funktion
from pyxl.functions.antwort import ergebnis_json, regeln_text
from pyxl.functions.eingabe import datum
from pyxl.functions.zahlen import deutsch
from pyxl.parameter import UnbekannteAusgabe

KONTEXT = {"help_option_names": ["-h", "--help"]}
cli_sprache.einschalten()


def _fehler(text: str) -> NoReturn:
    """One German line on stderr, exit 2: the call or an input was wrong."""
    click.echo(f"Fehler: {text}", err=True)
    sys.exit(2)


@click.group(
    context_settings=KONTEXT,
    help="pyxl – Förder- und Ausgleichsrechner, amtliche Vorlagen und Prüfung eingereichter Arbeitsmappen, ohne Excel.",
)
@click.version_option(__version__, "--version", message="pyxl %(version)s", help="Version anzeigen.")
def pyxl() -> None:
    pass


@pyxl.command(
    "fn",
    context_settings={**KONTEXT, "ignore_unknown_options": True},  # negative numbers are arguments, not options
    help="Eine Excel-Funktion auswerten: pyxl fn NAME ARG… (deutsche Zahlen wie 1.060.000,50 oder ein Dezimalpunkt "
    'wie 5000.5; mehrdeutiges wie 7.850 wird abgelehnt; leeres Argument "" lässt ein optionales aus).',
)
@click.argument("name", required=False)
@click.argument("argumente", nargs=-1, type=click.UNPROCESSED)
@click.option("--list", "liste", is_flag=True, help="Alle Funktionen mit Hilfe auflisten.")
@click.option("--json", "als_json", is_flag=True, help="Ergebnis als JSON (Dezimalzahlen als Text).")
@click.option(
    "--stand",
    metavar="DATUM",
    help="Rechtsstand: die an diesem Tag geltende Ausgabe der Regeln (2009-03-01 oder 01.03.2009).",
)
@click.option(
    "--ausgabe",
    "ausgaben",
    multiple=True,
    metavar="[FAMILIE=]NAME",
    help="Ausgabe der Regeln nach Namen, z. B. 2005 oder rzwas=2005, oepnv=rotenburg (mehrfach möglich).",
)
@click.option(
    "--satzung",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Satzung eines Landkreises (VO 1370) aus eigener TOML-Datei.",
)
@click.option("--erklaeren", is_flag=True, help="Rechenweg mit Klauseln und gelesenen Parametern ausgeben.")
def fn(
    name: str | None,
    argumente: tuple[str, ...],
    liste: bool,
    als_json: bool,
    stand: str | None,
    ausgaben: tuple[str, ...],
    satzung: Path | None,
    erklaeren: bool,
) -> None:
    if liste:
        _liste()
        return
    if not name:
        _fn_fehler("Funktionsname fehlt – Aufruf: pyxl fn NAME ARG…  (Liste: pyxl fn --list)", None, als_json)
    try:
        gewaehlt = funktion(name)
    except Aufruffehler as fehler:
        _fn_fehler(str(fehler), name, als_json)
    wahl = _regelwahl(gewaehlt, stand, ausgaben, satzung, als_json)
    try:
        ergebnis = gewaehlt.auswerten(list(argumente), erklaeren=erklaeren, **wahl)
    except Aufruffehler as fehler:  # its text names the function
        _fn_fehler(str(fehler), gewaehlt.name, als_json, _fn_klausel(gewaehlt, wahl))
    except Eingabefehler as fehler:  # it carries the clause of the edition it was checked against
        klausel = fehler.regel or _fn_klausel(gewaehlt, wahl)
        _fn_fehler(str(fehler), gewaehlt.name, als_json, klausel, zeile=f"{gewaehlt.name}: {fehler}")
    except UnbekannteAusgabe as fehler:
        _fn_fehler(str(fehler), gewaehlt.name, als_json, auch_stderr=True)
    if als_json:
        click.echo(json.dumps(ergebnis_json(gewaehlt, ergebnis), ensure_ascii=False))
        return
    for wert in ergebnis.wert if isinstance(ergebnis.wert, list) else [ergebnis.wert]:
        click.echo(deutsch(wert))
    for hinweis in ergebnis.hinweise:
        click.echo(f"Hinweis: {hinweis}", err=True)
    if ergebnis.spur is not None:
        for zeile in ergebnis.spur.zeilen():
            click.echo(zeile)
        click.echo(regeln_text(ergebnis.regeln_json()))


def _regelwahl(
    gewaehlt: Funktion, stand: str | None, ausgaben: tuple[str, ...], satzung: Path | None, als_json: bool
) -> dict[str, object]:
    """--stand, --ausgabe and --satzung as arguments of :meth:`Funktion.auswerten`; a wrong one ends with exit 2."""
    from pyxl import parameter

    wahl: dict[str, object] = {}
    if stand is not None:
        try:
            wahl["stand"] = datum(stand, "--stand", "Rechtsstand") or _fn_fehler("--stand: Datum fehlt", None, als_json)
        except Eingabefehler as fehler:
            _fn_fehler(str(fehler), gewaehlt.name, als_json)
    familien = [p.klasse.familie for p in gewaehlt.regelwerkparameter]
    namen: dict[str, str] = {}
    for angabe in ausgaben:
        familie, _, schluessel = angabe.rpartition("=")
        familie = familie.strip().lower() or (familien[0] if familien else "")
        if familie not in familien:
            bekannt = ", ".join(familien) or "keine"
            _fn_fehler(f"--ausgabe {angabe}: {gewaehlt.name} nutzt diese Regeln nicht (nutzt: {bekannt})",
                       gewaehlt.name, als_json)  # fmt: skip
        namen[familie] = schluessel.strip()
    if namen:
        wahl["ausgaben"] = namen
    if satzung is not None:
        if "oepnv" not in familien:
            _fn_fehler(
                f"--satzung: {gewaehlt.name} rechnet nicht nach einer Satzung (VO 1370)", gewaehlt.name, als_json
            )
        try:
            wahl["regelwerke"] = {"oepnv": parameter.oepnv_aus_datei(satzung)}
        except parameter.UnbekannteAusgabe as fehler:  # unreadable, or not of a Satzung's shape: German
            _fn_fehler(str(fehler), gewaehlt.name, als_json, auch_stderr=True)
    return wahl


def _fn_klausel(gewaehlt: Funktion, wahl: dict[str, object]) -> str:
    """The function's clause as the parameter sets chosen for this call state it (--stand, --ausgabe, --satzung),
    not as the default edition does: an error's ``clause`` must cite what its message cites."""
    try:
        sets = gewaehlt.regelwerke(
            stand=wahl.get("stand"), ausgaben=wahl.get("ausgaben"), vorgegeben=wahl.get("regelwerke")
        )
    except UnbekannteAusgabe:  # cannot happen once the call chose them; the default rather than no clause
        return gewaehlt.regel
    return gewaehlt.text("regel", sets) if sets else gewaehlt.regel


def _fn_fehler(
    text: str,
    name: str | None,
    als_json: bool,
    regel: str | None = None,
    zeile: str | None = None,
    auch_stderr: bool = False,
) -> NoReturn:
    """A wrong call of ``pyxl fn``, exit 2; with --json as a JSON object on stdout, where scripts read.
    ``zeile``: the line on stderr without --json, if it says more than ``text``; ``auch_stderr``: the line goes to
    stderr with --json too (no edition for the date: whoever runs the script must see it)."""
    if not als_json:
        _fehler(zeile or text)
    if auch_stderr:
        click.echo(f"Fehler: {zeile or text}", err=True)
    daten = {"message": text, "function": name}
    if regel:
        daten["clause"] = regel
    click.echo(json.dumps(daten, ensure_ascii=False))
    sys.exit(2)


def _liste() -> None:
    from pyxl.functions import REGISTER  # the whole register only here: pyxl fn NAME loads one family

    for eintrag in REGISTER.values():
        click.echo(f"{eintrag.signatur}  [{eintrag.einheit}]  – {eintrag.regel}")
        click.echo(f"    {eintrag.hilfe}")
        for argument in eintrag.argumente:
            click.echo(f"      {argument.name}: {argument.hilfe}")


@pyxl.command("demo", context_settings=KONTEXT, help="Beispielrechnung RZWas 2005 mit den mitgelieferten Daten.")
def demo() -> None:
    from pyxl.demo import zeige_demo

    zeige_demo()


def _ziel_option(vorgabe: str, hilfe: str):
    """The --ziel directory of the writing commands."""
    return click.option(
        "--ziel", type=click.Path(file_okay=False, path_type=Path), default=Path(vorgabe), show_default=True, help=hilfe
    )


@pyxl.command(
    "doku",
    context_settings=KONTEXT,
    help="Funktionsreferenz docs/funktionen.md und Prüfregeln docs/pruefregeln.md neu erzeugen.",
)
@_ziel_option("docs", "Verzeichnis für funktionen.md und pruefregeln.md.")
def doku(ziel: Path) -> None:
    from pyxl.doku import funktionsreferenz, regelreferenz

    ziel.mkdir(parents=True, exist_ok=True)
    for name, text in (("funktionen.md", funktionsreferenz()), ("pruefregeln.md", regelreferenz())):
        datei = ziel / name
        datei.write_text(text, encoding="utf-8")
        click.echo(f"geschrieben: {datei}")


@pyxl.group("vorlagen", context_settings=KONTEXT, help="Amtliche Vorlagen (xlsx) erzeugen.")
def vorlagen() -> None:
    pass


def _satzung_laden(pfad: Path):
    """A county's Satzung from ``--satzung``; a file that is no Satzung of the expected shape: exit 2, German."""
    from pyxl.parameter import UnbekannteAusgabe, oepnv_aus_datei

    try:
        return oepnv_aus_datei(pfad)
    except UnbekannteAusgabe as fehler:
        _fehler(str(fehler))


def _parameter_bereit() -> None:
    """Every parameter file (package, PYXL_PARAMETER) readable and in order, else exit 2 naming the file, German:
    a broken file of the installation ends the run once — never reported as a fault of each submission."""
    from pyxl.parameter import UnbekannteAusgabe, alle_pruefen

    try:
        alle_pruefen()
    except UnbekannteAusgabe as fehler:
        _fehler(str(fehler))


def _satzung_option(hilfe: str):
    return click.option(
        "--satzung", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None, help=hilfe
    )


@vorlagen.command(
    "erzeugen", context_settings=KONTEXT, help="Alle Vorlagen aus ihren Formularbeschreibungen schreiben."
)
@_ziel_option("xlsx_templates", "Zielverzeichnis.")
@_satzung_option(
    "Parameterdatei der Satzung eines Landkreises (Aufbau wie pyxl/parameter/oepnv_rotenburg.toml): nur die vier "
    "VO-1370-Vordrucke für diesen Landkreis schreiben; die Dateinamen tragen den Landkreis."
)
def vorlagen_erzeugen(ziel: Path, satzung: Path | None) -> None:
    from pyxl.templates import formulare
    from pyxl.templates.builder import schreibe

    _parameter_bereit()
    if satzung is None:
        gewaehlt = list(formulare().values())
    else:
        from dataclasses import replace

        from pyxl import parameter
        from pyxl.templates import oepnv_formulare
        from pyxl.templates.oepnv_parameter import dateiname

        kreis = _satzung_laden(satzung)
        gewaehlt = [replace(f, dateiname=dateiname(f.dateiname, kreis))
                    for f in oepnv_formulare(kreis, parameter.basiszinssatz())]  # fmt: skip
    for formular in gewaehlt:
        datei = schreibe(formular, ziel)
        click.echo(f"{formular.kennung:<10} {formular.untertitel}: {datei}")


@vorlagen.command(
    "beispiele",
    context_settings=KONTEXT,
    help="Ausgefüllte Beispiele (richtige und typische Fehler) schreiben; rechnet in LibreOffice neu.",
)
@_ziel_option("xlsx_templates/beispiele", "Zielverzeichnis.")
def vorlagen_beispiele(ziel: Path) -> None:
    from pyxl.templates.beispiele import schreibe_beispiele
    from pyxl.templates.libreoffice import LibreOfficeFehlt

    try:
        for datei in schreibe_beispiele(ziel):
            click.echo(f"geschrieben: {datei}")
    except LibreOfficeFehlt as fehler:
        _fehler(str(fehler))


def _pruef_optionen(ausgabe_hilfe: str, ordner: bool = False):
    """Files, --format and --ausgabe: shared by every checking command, so they read and behave alike.
    ``ordner``: folders and patterns are taken too (:func:`_eingaben`)."""

    def dekoriert(befehl):
        for option in reversed(
            (
                click.argument("dateien", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=ordner)),
                click.option(
                    "--format",
                    "format_",
                    type=click.Choice(["text", "json", "html"]),
                    default="text",
                    show_default=True,
                    help="Ausgabeformat des Berichts.",
                ),
                click.option(
                    "--ausgabe", type=click.Path(file_okay=False, path_type=Path), default=None, help=ausgabe_hilfe
                ),
            )
        ):
            befehl = option(befehl)
        return befehl

    return dekoriert


ZEIGEN = 100  # skipped files named one by one; the rest as a count


def _eingaben(argumente: tuple[Path, ...], endungen: tuple[str, ...], ausgabe: Path | None = None):
    """The files named, found in the folders named, or matched by patterns the shell did not expand, and what was
    skipped; the skipped as German lines on stderr (not an error) unless an output folder gets an overview that
    lists them; the output folder itself is not searched; nothing to check, or a name that is nowhere: exit 2."""
    from pyxl.validators.ausgabe.text import sichtbar
    from pyxl.validators.eingabe_dateien import EingabeFehler, dateien_aus

    try:
        dateien, uebersprungen = dateien_aus(argumente, endungen, ohne=ausgabe)
    except EingabeFehler as fehler:
        _fehler(sichtbar(str(fehler)))
    leise = ausgabe is not None and bool(dateien)
    for eintrag in [] if leise else uebersprungen[:ZEIGEN]:
        click.echo(sichtbar(f"Hinweis: {eintrag}"), err=True)
    if not leise and len(uebersprungen) > ZEIGEN:
        click.echo(f"Hinweis: … und {deutsch(len(uebersprungen) - ZEIGEN)} weitere Dateien übersprungen", err=True)
    if not dateien:
        _fehler(f"keine Datei zu prüfen ({', '.join(endungen)}) in {sichtbar(', '.join(map(str, argumente)))}")
    return dateien, uebersprungen


AUSFUEHRLICH = click.option(
    "--ausfuehrlich",
    is_flag=True,
    help="Mit --ausgabe und mehreren Dateien jeden Bericht auch im Terminal zeigen (sonst nur eine Zusammenfassung).",
)
MAPPEN_ENDUNGEN = (".xlsx", ".xlsm")


@pyxl.command(
    "pruefen",
    context_settings=KONTEXT,
    help="Eingereichte Arbeitsmappen prüfen (ohne Excel). Ordner werden durchsucht (.xlsx, .xlsm), Muster wie "
    "daten\\*.xlsx aufgelöst; mit --ausgabe und mehreren Dateien dort auch index.html, uebersicht.csv und "
    "uebersicht.json. Exit-Code 0: keine Fehler; 1: Fehler gefunden; 2: Datei nicht prüfbar, Aufruf falsch oder "
    "Ausgabeordner nicht beschreibbar.",
)
@_pruef_optionen("Verzeichnis für Berichte je Datei (und markierte Kopien); überschreibt nie, vergebene Namen "
                 "bekommen _2, _3 ….", ordner=True)  # fmt: skip
@AUSFUEHRLICH
@click.option("--markieren", is_flag=True, help="Markierte Kopie jeder Datei mit Blatt „Prüfbericht“ schreiben.")
@click.option("--jobs", type=cli_sprache.Bereich(1, 64), default=None, help="Parallele Prüfprozesse (Vorgabe: Kerne).")
@click.option(
    "--grenzen",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="TOML-Datei mit Grenzwerten für nicht vertrauenswürdige Dateien.",
)
@click.option(
    "--anlage1",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="CSV des Landkreises (Unternehmen;Teilnetz;Fahrplan-km): Fahrplan-km der Trennungsrechnungen gegen "
    "Anlage 1 prüfen.",
)
@_satzung_option(
    "Parameterdatei der Satzung, aus der die VO-1370-Vordrucke erzeugt wurden (Vorgabe: die in den Metadaten "
    "genannte bekannte Satzung, gesucht im Paket und in PYXL_PARAMETER); ein aus einer anderen Satzung erzeugter "
    "Vordruck wird als Fehler gemeldet."
)
@click.option(
    "--erklaeren",
    is_flag=True,
    help="Im Textbericht unter jedem Befund zu einem Ergebnis den Rechenweg der Nachrechnung zeigen "
    "(im JSON-Bericht steht er immer).",
)
@click.option(
    "--cluster",
    metavar="ADRESSE",
    default=None,
    help="Dateien auf einem Dask-Cluster prüfen (Scheduler-Adresse, z. B. tcp://pruefrechner:8786; "
    'braucht pip install "pyxl[cluster]"); Berichte und Übersicht wie lokal.',
)
def pruefen(dateien: tuple[Path, ...], format_: str, ausfuehrlich: bool, ausgabe: Path | None, markieren: bool,
            jobs: int | None, grenzen: Path | None, anlage1: Path | None, satzung: Path | None,
            erklaeren: bool, cluster: str | None) -> None:  # fmt: skip
    from functools import partial

    from pyxl.validators.pruefen import pruefe_datei
    from pyxl.validators.pruefung_cli import pruefen_ausfuehren
    from pyxl.validators.vorgaben import VorgabenFehler, lies_anlage1

    if markieren and ausgabe is None:
        ausgabe = Path("pruefung")  # where the copies go by default: not searched as input
    gefunden, uebersprungen = _eingaben(dateien, MAPPEN_ENDUNGEN, ausgabe)
    _parameter_bereit()
    kreis = None if satzung is None else _satzung_laden(satzung)
    angaben: dict[str, object] = {} if kreis is None else {"regelwerke": {"oepnv": kreis}}
    if anlage1 is not None:
        try:
            angaben["vorgaben"] = {"anlage1": lies_anlage1(anlage1, kreis)}
        except VorgabenFehler as fehler:
            _fehler(str(fehler))
    pruefung = partial(pruefe_datei, **angaben) if angaben else pruefe_datei
    ausfuehren = partial(pruefen_ausfuehren, gefunden, format_, ausgabe, markieren, jobs, grenzen, pruefung=pruefung,
                         erklaeren=erklaeren, uebersprungen=uebersprungen, ausfuehrlich=ausfuehrlich)  # fmt: skip
    if cluster is None:
        sys.exit(ausfuehren())
    sys.exit(_im_cluster(cluster, jobs, ausfuehren, angaben))


def _im_cluster(adresse: str, jobs: int | None, ausfuehren, angaben: dict[str, object]) -> int:
    """``pyxl pruefen --cluster``: connected (or exit 2, German), the same run with the checks on the workers."""
    from functools import partial

    from pyxl.validators.ausgabe.text import sichtbar
    from pyxl.validators.cluster import ClusterFehler, pruefe_im_cluster, verbinden

    if jobs is not None:
        _fehler("--jobs gilt nur für die Prüfung auf diesem Rechner; mit --cluster bestimmen die Worker "
                "(dask worker --nworkers/--nthreads), wie viele Dateien gleichzeitig geprüft werden")  # fmt: skip
    try:
        with verbinden(adresse) as client:
            return ausfuehren(pruefer=partial(pruefe_im_cluster, client, **angaben))
    except ClusterFehler as fehler:
        _fehler(sichtbar(str(fehler)))


HAUSHALT_ENDUNGEN = (".txt", ".csv", ".xlsx")


@pyxl.group("haushalt", context_settings=KONTEXT, help="NKF-Haushaltspläne prüfen.")
def haushalt() -> None:
    pass


@haushalt.command(
    "pruefen",
    context_settings=KONTEXT,
    help="Summenzeilen von Teilergebnis- und Teilfinanzplänen "
    "prüfen (Text eines gedruckten Plans, CSV oder xlsx; auch ein ganzer Haushaltsplan in einer Datei). Ordner "
    "werden durchsucht (.txt, .csv, .xlsx), Muster wie daten\\*.csv aufgelöst; ein Bericht je Datei. "
    "Exit-Code wie bei pyxl pruefen.",
)
@_pruef_optionen("Verzeichnis für Berichte je Datei; überschreibt nie, vergebene Namen bekommen _2, _3 ….", ordner=True)
@AUSFUEHRLICH
@click.option("--jobs", type=cli_sprache.Bereich(1, 64), default=None, help="Parallele Prüfprozesse (Vorgabe: Kerne).")
def haushalt_pruefen(
    dateien: tuple[Path, ...], format_: str, ausfuehrlich: bool, ausgabe: Path | None, jobs: int | None
) -> None:
    from pyxl.haushalt.datei import pruefe_haushaltsdatei
    from pyxl.validators.pruefung_cli import pruefen_ausfuehren

    gefunden, uebersprungen = _eingaben(dateien, HAUSHALT_ENDUNGEN, ausgabe)
    sys.exit(pruefen_ausfuehren(gefunden, format_, ausgabe, False, jobs, None, pruefung=pruefe_haushaltsdatei,
                                uebersprungen=uebersprungen, ausfuehrlich=ausfuehrlich))  # fmt: skip


@pyxl.command(
    "serve",
    context_settings=KONTEXT,
    help="Excel-Add-in-Server starten (xlwings Server, selbst gehostet, ruft keinen fremden Dienst auf). "
    "Manifest für die zentrale Bereitstellung: <URL>/manifest.xml.",
)
@click.option(
    "--host", metavar="ADRESSE", default="127.0.0.1", show_default=True, help="Adresse, an der der Server lauscht."
)
@click.option("--port", type=cli_sprache.Bereich(1, 65535), default=8000, show_default=True, help="Port.")
@click.option("--url", "basis_url", metavar="URL", default=None,
              help="Adresse, unter der Excel den Server erreicht (Manifest); "
                   "Vorgabe: die eigene Adresse; hinter einem TLS-Proxy dessen https-Adresse.")  # fmt: skip
@click.option("--token-datei", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              envvar="PYXL_TOKEN_DATEI", help="Datei mit erlaubten Bearer-Tokens, eines je Zeile.")  # fmt: skip
@click.option("--oidc-issuer", metavar="URL", default=None, envvar="PYXL_OIDC_ISSUER",
              help="OIDC-Aussteller im eigenen Haus (z. B. https://sso.kreis.de/realms/verwaltung).")  # fmt: skip
@click.option("--oidc-audience", metavar="CLIENT-ID", default=None, envvar="PYXL_OIDC_AUDIENCE",
              help="Client-ID des Add-ins beim Aussteller.")  # fmt: skip
@click.option("--tls-zertifikat", type=click.Path(exists=True, dir_okay=False), default=None,
              help="TLS-Zertifikat (PEM); Office-Add-ins verlangen HTTPS.")  # fmt: skip
@click.option("--tls-schluessel", type=click.Path(exists=True, dir_okay=False), default=None,
              help="TLS-Schlüssel (PEM).")  # fmt: skip
@click.option("--prozesse", type=cli_sprache.Bereich(1, 64), default=1, show_default=True,
              help="Serverprozesse auf demselben Port (je Prozess ein Kern für Berechnungen).")  # fmt: skip
@click.option("--macros", "macros", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Verzeichnis macros/ (Manifest, Aufgabenbereich); Vorgabe: das des Checkouts.")  # fmt: skip
@click.option("--aufbewahrung", type=cli_sprache.Bereich(1, 24 * 60), default=60, show_default=True,
              help="Minuten, die Ergebnisse der Prüfstelle (/pruefen) abrufbar bleiben; danach gelöscht.")  # fmt: skip
@click.option("--anlage1", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV des Landkreises (Unternehmen;Teilnetz;Fahrplan-km): „Vorlage prüfen“ im Add-in und "
                   "die Prüfstelle prüfen Trennungsrechnungen gegen diese Anlage 1 (wie pyxl pruefen "
                   "--anlage1).")  # fmt: skip
@click.option("--hinter-anmeldeproxy", is_flag=True,
              help="Ohne eigene Anmeldung auch an einer von außen erreichbaren Adresse lauschen – nur, wenn ein "
                   "vorgeschalteter Proxy jede Anfrage anmeldet.")  # fmt: skip
def serve(host: str, port: int, basis_url: str | None, token_datei: Path | None, oidc_issuer: str | None,
          oidc_audience: str | None, tls_zertifikat: str | None, tls_schluessel: str | None,
          prozesse: int, macros: Path | None, aufbewahrung: int, anlage1: Path | None,
          hinter_anmeldeproxy: bool) -> None:  # fmt: skip
    os.environ["XLWINGS_ON_SERVER"] = "true"  # the Server decorators (pyxl.excel.xw), also on Windows
    from pyxl.excel.anmeldung import Anmeldung, lies_tokendatei
    from pyxl.excel.server import MACROS, Einstellungen, lokale_hosts, starte

    tokens = {t.strip() for t in os.environ.get("PYXL_TOKENS", "").split(",") if t.strip()}
    if token_datei:
        tokens |= lies_tokendatei(token_datei)
    try:
        anmeldung = Anmeldung(frozenset(tokens), oidc_issuer, oidc_audience)
    except ValueError as fehler:
        _fehler(str(fehler))
    if bool(tls_zertifikat) != bool(tls_schluessel):
        _fehler("TLS braucht beides: --tls-zertifikat und --tls-schluessel")
    from pyxl.excel.erreichbar import nur_lokal, ohne_https
    from pyxl.validators.vorgaben import UMGEBUNG, VorgabenFehler, lies_anlage1

    if anlage1 is not None:
        try:
            lies_anlage1(anlage1)  # unusable: said now, not at the first check
        except VorgabenFehler as fehler:
            _fehler(str(fehler))
        os.environ[UMGEBUNG] = str(anlage1.resolve())  # for every server process and the web desk's checks

    if not anmeldung.aktiv and not hinter_anmeldeproxy and not nur_lokal(host):
        _fehler(f"--host {host} ist von anderen Rechnern erreichbar, aber keine Anmeldung eingerichtet "
                "(--token-datei oder --oidc-issuer) – ohne Anmeldung nur 127.0.0.1; hinter einem Proxy, der jede "
                "Anfrage anmeldet: --hinter-anmeldeproxy")  # fmt: skip
    schema = "https" if tls_zertifikat else "http"
    macros = macros or MACROS
    if not (macros / "manifest.xml").is_file():
        _fehler(f"{macros}: kein macros/-Verzeichnis mit manifest.xml – pyxl serve aus dem Checkout starten "
                "oder --macros angeben")  # fmt: skip
    import atexit
    import shutil
    import tempfile

    ablage = Path(tempfile.mkdtemp(prefix="pyxl-pruefstelle-"))  # private (0700), for all server processes
    atexit.register(shutil.rmtree, ablage, ignore_errors=True)  # nothing uploaded outlives the server
    basis_url = basis_url or f"{schema}://{host}:{port}"
    # without sign-in (and no proxy that signs in): answer only to this machine's names, not to a rebound one
    hosts = lokale_hosts(host, basis_url) if not anmeldung.aktiv and not hinter_anmeldeproxy else None
    einstellungen = Einstellungen(basis_url, anmeldung, macros, ablage=ablage, aufbewahrung_s=aufbewahrung * 60,
                                  hosts=hosts)  # fmt: skip
    click.echo(f"pyxl-Add-in-Server: {schema}://{host}:{port}  (Manifest: {einstellungen.basis_url}/manifest.xml)")
    click.echo(f"Prüfstelle im Browser: {einstellungen.basis_url.rstrip('/')}/pruefen")
    if os.environ.get("XLWINGS_LICENSE_KEY") == "noncommercial":
        click.echo("Lizenz xlwings Server: PolyForm Noncommercial 1.0.0 (öffentliche Verwaltung); "
                   "kommerzielle Nutzung: XLWINGS_LICENSE_KEY setzen")  # fmt: skip
    if not anmeldung.aktiv:
        click.echo("Achtung: ohne Anmeldung – nur auf dem eigenen Rechner oder hinter einem Anmelde-Proxy betreiben"
                   + (f" (--hinter-anmeldeproxy: erreichbar über {host})" if not nur_lokal(host) else ""),
                   err=True)  # fmt: skip
    if warnung := ohne_https(einstellungen.basis_url):
        click.echo(f"Achtung: {warnung}", err=True)
    starte(einstellungen, host, port, tls_zertifikat, tls_schluessel, prozesse)


@pyxl.command(
    "bereitstellen",
    context_settings=KONTEXT,
    help="nginx-Konfiguration (TLS, X-Forwarded-*, Größengrenzen des Servers) und systemd-Unit für pyxl serve "
    "schreiben – mit den eigenen Adressen und Pfaden.",
)
@click.option("--url", metavar="URL", default=Bereitstellung.url, show_default=True,
              help="https-Adresse, unter der Excel den Server erreicht (nginx).")  # fmt: skip
@click.option("--port", type=cli_sprache.Bereich(1, 65535), default=Bereitstellung.port, show_default=True,
              help="Port von pyxl serve auf 127.0.0.1 (nur nginx erreicht ihn).")  # fmt: skip
@click.option("--lauschen", metavar="[ADRESSE:]PORT", default=Bereitstellung.lauschen, show_default=True,
              help="Wo nginx lauscht.")  # fmt: skip
@click.option("--zertifikat", metavar="PFAD", default=Bereitstellung.zertifikat, show_default=True,
              help="TLS-Zertifikat (PEM, mit Zwischenzertifikaten) für nginx.")  # fmt: skip
@click.option("--schluessel", metavar="PFAD", default=Bereitstellung.schluessel, show_default=True,
              help="TLS-Schlüssel (PEM) für nginx.")  # fmt: skip
@click.option("--programm", metavar="PFAD", default=Bereitstellung.programm, show_default=True,
              help="pyxl im venv des Checkouts (bash scripts/einrichten.sh).")  # fmt: skip
@click.option("--tokens", metavar="PFAD", default=Bereitstellung.tokens, show_default=True,
              help="Token-Datei (nur für root lesbar; systemd reicht sie an den Dienst weiter).")  # fmt: skip
@_ziel_option(".", "Verzeichnis für nginx-pyxl.conf und pyxl.service.")
def bereitstellen(url: str, port: int, lauschen: str, zertifikat: str, schluessel: str, programm: str, tokens: str,
                  ziel: Path) -> None:  # fmt: skip
    try:
        angaben = Bereitstellung(url, port, lauschen, zertifikat, schluessel, programm, tokens)
    except ValueError as fehler:
        _fehler(str(fehler))
    ziel.mkdir(parents=True, exist_ok=True)
    for name, text in dateien(angaben).items():
        datei = ziel / name
        datei.write_text(text, encoding="utf-8")
        click.echo(f"geschrieben: {datei}")


cli_sprache.metavariablen(pyxl)


@pyxl.group("libreoffice", context_settings=KONTEXT, help="pyxl für LibreOffice Calc.")
def libreoffice() -> None:
    pass


@libreoffice.command(
    "erweiterung",
    context_settings=KONTEXT,
    help="Die LibreOffice-Erweiterung pyxl.oxt schreiben: alle pyxl-Funktionen als Calc-Funktionen, „Vorlage "
    "prüfen“, „Neue Vorlage“ und „Beispiel laden“ im Menü pyxl; gerechnet wird auf dem pyxl serve der eigenen "
    "Verwaltung.",
)
@click.option("--ausgabe", type=click.Path(file_okay=False, path_type=Path), required=True, metavar="ORDNER",
              help="Ordner für pyxl.oxt (eine vorhandene Datei bleibt: dann pyxl_2.oxt).")  # fmt: skip
@click.option("--server", metavar="URL", default=None,
              help="Adresse des pyxl serve der Verwaltung: Vorgabe für alle Benutzer (jeder kann sie unter Extras › "
                   "Optionen › pyxl › Server ändern); ohne Angabe der eigene Rechner (wie pyxl serve).")  # fmt: skip
def erweiterung(ausgabe: Path, server: str | None) -> None:
    from pyxl.libreoffice.erweiterung import STANDARD_SERVER, ErweiterungFehler, baue_erweiterung

    try:
        ziel = baue_erweiterung(ausgabe, server or STANDARD_SERVER)
    except ErweiterungFehler as fehler:
        _fehler(str(fehler))
    click.echo(f"LibreOffice-Erweiterung geschrieben: {ziel}")
    import shlex  # a folder name with a space stays one argument when the line is copied into a shell

    click.echo(f"Installieren: Extras › Extension Manager › Hinzufügen, oder: unopkg add {shlex.quote(str(ziel))}")


def _hilfe(kontext: click.Context | None) -> str:
    """Where the help of the command that was called is: ``pyxl pruefen --help``."""
    return f"{kontext.command_path if kontext else 'pyxl'} --help"


def main() -> None:
    """Entry point; click's own errors come in German (:mod:`pyxl.cli_sprache`), one line each, exit 2."""
    try:
        pyxl.main(standalone_mode=False, prog_name="pyxl")
    except click.exceptions.NoArgsIsHelpError as hilfe:  # `pyxl vorlagen` without a command: its help
        click.echo(hilfe.format_message(), err=True)
        sys.exit(2)
    except click.exceptions.UsageError as fehler:
        _fehler(f"{fehler.format_message().rstrip('.')} – Hilfe: {_hilfe(fehler.ctx)}")
    except click.exceptions.Abort:
        _fehler("abgebrochen")
    except click.exceptions.Exit as ende:
        sys.exit(ende.exit_code)
    except click.ClickException as fehler:  # e.g. a file click could not open
        _fehler(fehler.format_message())
    except KeyboardInterrupt:
        _fehler("abgebrochen")
    except UnbekannteAusgabe as fehler:  # a parameter file of the installation: not the user's input, not a crash
        _fehler(str(fehler))
    except Exception as fehler:
        if os.environ.get("PYXL_DEBUG"):
            raise
        _fehler(f"interner Fehler ({type(fehler).__name__}: {fehler}) – bitte melden; Details mit PYXL_DEBUG=1")
