"""Editions: which parameter files there are, which one applies at a date, and a fingerprint of each.

A parameter file is ``<familie>.toml`` or ``<familie>_<schluessel>.toml`` (``rzwas_2005.toml``,
``oepnv_rotenburg.toml``) in the package's folder or in a folder named by the environment variable
``PYXL_PARAMETER`` (several separated by the OS path separator): an administration adds an edition or its county
there without touching the package. Every file states in ``[ausgabe]`` its edition's name, its validity and its
source.

Editions of one series are chosen by name or by a date. The series is the whole family (RZWas: 2005, 2018, …), or,
for families with one rule set per county or state (``gruppiert``), the files that share the first word of their
key (``oepnv_rotenburg``, ``oepnv_rotenburg_2026``). An edition without an end date is valid until the next edition
of its series begins. Two editions valid on the same day are refused: one date, one answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import ClassVar

from pyxl.parameter._daten import _bauen, _Daten

ORDNER = Path(__file__).parent
UMGEBUNG = "PYXL_PARAMETER"


class UnbekannteAusgabe(LookupError):
    """No parameter file for the asked edition; the message (German) lists the ones there are."""


class KeineAusgabeZumStand(UnbekannteAusgabe):
    """No edition of the series is valid at the asked date; the message names the date."""


class Ausgabe(_Daten):
    """``[ausgabe]`` of a parameter file: which edition, valid when, from which source."""

    name: str  # as outputs name it: "RZWas 2005"
    gueltig_ab: dt.date
    quelle: str
    gueltig_bis: dt.date | None = None  # none: until the next edition of the series begins (or open)
    hinweis: str = ""


class Regelwerk(_Daten):
    """One edition of a rule family's parameters. After loading it knows its key (file name), its file and the
    SHA-256 of its data (:attr:`pruefsumme`: what a form or report records to name exactly this set)."""

    familie: ClassVar[str] = ""
    bezeichnung: ClassVar[str] = ""  # the family as messages name it: "RZWas"
    gruppiert: ClassVar[bool] = False  # one series per county/state rather than one for the family
    standardgruppe: ClassVar[str] = ""  # the county/state chosen when a call names none
    klassen: ClassVar[dict[str, type[Regelwerk]]] = {}

    ausgabe: Ausgabe

    # set by the loader, not read from the file (hence no annotations: no dataclass fields)
    schluessel = ""  # the file's key: "2005", "rotenburg"
    datei = None  # Path of the file, None for data given in memory
    pruefsumme = ""  # SHA-256 of the data

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("familie"):
            Regelwerk.klassen[cls.familie] = cls

    def regel(self, ref: str) -> str:
        """Full citation as users read it: ``RZWas 2005 Anl. 2b Nr. 2.7``."""
        kurz = getattr(getattr(self, "meta", None), "kurz", "")
        return ref if not kurz or ref.startswith(kurz) else f"{kurz} {ref}"

    @property
    def kurzsumme(self) -> str:
        """The first 12 hex digits of the fingerprint, as shown to people (the full one stays in JSON)."""
        return self.pruefsumme[:12]

    def herkunft(self) -> dict[str, object]:
        """What an output records about this set (JSON keys in English as everywhere in reports)."""
        return {
            "family": self.familie,
            "key": self.schluessel,
            "edition": self.ausgabe.name,
            "valid_from": self.ausgabe.gueltig_ab.isoformat(),
            "valid_to": self.ausgabe.gueltig_bis.isoformat() if self.ausgabe.gueltig_bis else None,
            "source": self.ausgabe.quelle,
            "hash": self.pruefsumme,
        }


# ------------------------------------------------------------------------------------------ files


def suchordner() -> tuple[Path, ...]:
    """The package's folder, then the folders of ``PYXL_PARAMETER``."""
    zusaetzlich = [Path(t) for t in os.environ.get(UMGEBUNG, "").split(os.pathsep) if t.strip()]
    return (ORDNER, *zusaetzlich)


def dateien(familie: str) -> dict[str, Path]:
    """Key → file of every parameter file of the family (``""`` for ``<familie>.toml``)."""
    gefunden: dict[str, Path] = {}
    for ordner in suchordner():
        for datei in sorted(ordner.glob(f"{familie}*.toml")):
            if datei.stem != familie and not datei.stem.startswith(f"{familie}_"):
                continue
            schluessel = datei.stem.removeprefix(familie).removeprefix("_")
            if schluessel in gefunden and gefunden[schluessel] != datei:
                raise UnbekannteAusgabe(
                    f"Parameterdatei „{datei.name}“ doppelt: {gefunden[schluessel].parent} und {datei.parent}"
                )
            gefunden[schluessel] = datei
    return gefunden


def lade_toml(name: str) -> dict:
    """Read the parameter file ``<name>.toml`` (package folder or ``PYXL_PARAMETER``) with every non-integer number
    as Decimal."""
    familie, _, schluessel = name.partition("_")
    datei = dateien(familie).get(schluessel)
    if datei is None or datei.stem != name:
        vorhanden = sorted(p.stem for p in dateien(familie).values())
        raise UnbekannteAusgabe(f"Keine Parameterdatei „{name}“ (vorhanden: {', '.join(vorhanden)})")
    return _toml(datei)


def _toml(datei: Path) -> dict:
    try:
        return tomllib.loads(datei.read_text(encoding="utf-8"), parse_float=Decimal)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as fehler:
        raise UnbekannteAusgabe(f"Parameterdatei {datei} nicht lesbar: {fehler}") from None


def pruefsumme(daten: dict) -> str:
    """SHA-256 (lowercase hex) of the data as read, in a canonical form: the same numbers give the same sum
    whatever the comments, order or spacing of the file."""
    text = json.dumps(daten, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def aus_daten(klasse: type[Regelwerk], daten: dict, schluessel: str, datei: Path | None) -> Regelwerk:
    """The model of one edition from its TOML data, with key, file and fingerprint attached."""
    modell = _bauen(klasse, daten)
    object.__setattr__(modell, "schluessel", schluessel)
    object.__setattr__(modell, "datei", datei)
    object.__setattr__(modell, "pruefsumme", pruefsumme(daten))
    return modell


@cache
def _geladen(familie: str, schluessel: str, datei: Path, stempel: tuple[int, int]) -> Regelwerk:
    return aus_daten(Regelwerk.klassen[familie], _toml(datei), schluessel, datei)


def lade(familie: str, schluessel: str) -> Regelwerk:
    """The edition ``schluessel`` of the family (``"2005"``, ``"rotenburg"``); German error naming those there are."""
    alle = dateien(familie)
    datei = alle.get(schluessel)
    if datei is None:
        vorhanden = ", ".join(sorted(p.stem for p in alle.values())) or "keine"
        name = f"{familie}_{schluessel}" if schluessel else familie
        raise UnbekannteAusgabe(f"Keine Parameterdatei „{name}“ (vorhanden: {vorhanden})")
    stand = datei.stat()
    return _geladen(familie, schluessel, datei, (stand.st_mtime_ns, stand.st_size))


def aus_datei(klasse: type[Regelwerk], pfad: Path) -> Regelwerk:
    """A rule set from a file of the family's shape outside the search folders (``--satzung kreis.toml``).
    A file that is not of that shape: :class:`UnbekannteAusgabe` naming the first key that is wrong, in German."""
    daten = _toml(Path(pfad))
    try:
        return aus_daten(klasse, daten, Path(pfad).stem.removeprefix(f"{klasse.familie}_"), Path(pfad))
    except (ValueError, TypeError) as fehler:  # pydantic's ValidationError is a ValueError
        raise UnbekannteAusgabe(f"Parameterdatei {pfad} hat nicht den erwarteten Aufbau: {_grund(fehler)}") from None


_GRUENDE = {"missing": "fehlt", "missing_argument": "fehlt", "extra_forbidden": "ist unbekannt",
            "unexpected_keyword_argument": "ist unbekannt", "decimal_parsing": "ist keine Zahl",
            "int_parsing": "ist keine ganze Zahl", "int_from_float": "ist keine ganze Zahl",
            "string_type": "ist kein Text", "date_from_datetime_parsing": "ist kein Datum",
            "date_type": "ist kein Datum", "list_type": "ist keine Liste", "tuple_type": "ist keine Liste",
            "dict_type": "ist keine Tabelle", "model_type": "ist keine Tabelle"}  # fmt: skip


def _grund(fehler: Exception) -> str:
    """The first problem pydantic found, in German: "Schlüssel wagnis.satz ist keine Zahl"."""
    fehlerliste = getattr(fehler, "errors", None)
    if callable(fehlerliste) and fehlerliste():
        erster = fehlerliste()[0]
        ort = ".".join(str(teil) for teil in erster["loc"]) or "(Wurzel)"
        anzahl = len(fehlerliste())
        weitere = f" (insgesamt {anzahl} Fehler)" if anzahl > 1 else ""
        return f"Schlüssel {ort} {_GRUENDE.get(erster['type'], 'hat einen ungültigen Wert')}{weitere}"
    return str(fehler).splitlines()[0]


# ------------------------------------------------------------------------------------------ editions by date


@dataclass(frozen=True)
class Gueltigkeit:
    ab: dt.date
    bis: dt.date | None  # None: open

    def umfasst(self, tag: dt.date) -> bool:
        return self.ab <= tag and (self.bis is None or tag <= self.bis)

    def deutsch(self) -> str:
        ende = self.bis.strftime("%d.%m.%Y") if self.bis else "ohne Enddatum"
        return f"{self.ab.strftime('%d.%m.%Y')} – {ende}"


def _gruppe(familie: str, schluessel: str) -> str:
    return schluessel.split("_")[0] if Regelwerk.klassen[familie].gruppiert else ""


def reihe(familie: str, gruppe: str = "") -> list[tuple[Regelwerk, Gueltigkeit]]:
    """The editions of one series in order of their start, each with its effective validity."""
    ausgaben = sorted(
        (lade(familie, s) for s in dateien(familie) if _gruppe(familie, s) == gruppe),
        key=lambda r: r.ausgabe.gueltig_ab,
    )
    ergebnis = []
    for nummer, regelwerk in enumerate(ausgaben):
        naechste = ausgaben[nummer + 1] if nummer + 1 < len(ausgaben) else None
        bis = regelwerk.ausgabe.gueltig_bis
        if naechste is not None:
            tag_davor = naechste.ausgabe.gueltig_ab - dt.timedelta(days=1)
            if bis is not None and bis > tag_davor:
                raise UnbekannteAusgabe(
                    f"{regelwerk.ausgabe.name} und {naechste.ausgabe.name} gelten beide am "
                    f"{naechste.ausgabe.gueltig_ab.strftime('%d.%m.%Y')}: Gültigkeiten überschneiden sich"
                )
            bis = bis or tag_davor
        ergebnis.append((regelwerk, Gueltigkeit(regelwerk.ausgabe.gueltig_ab, bis)))
    return ergebnis


def zum_stand(familie: str, tag: dt.date, gruppe: str = "") -> Regelwerk:
    """The edition valid on ``tag``; :class:`KeineAusgabeZumStand` (German, naming the date) if none is."""
    editionen = reihe(familie, gruppe)
    for regelwerk, gueltig in editionen:
        if gueltig.umfasst(tag):
            return regelwerk
    bekannt = "; ".join(f"{r.ausgabe.name}: {g.deutsch()}" for r, g in editionen) or "keine"
    raise KeineAusgabeZumStand(
        f"Für den Stand {tag.strftime('%d.%m.%Y')} gilt keine Ausgabe „{Regelwerk.klassen[familie].bezeichnung}"
        f"{' ' + gruppe if gruppe else ''}“ (bekannt: {bekannt})"
    )


def aktuell(familie: str, gruppe: str = "") -> Regelwerk:
    """Without name or date: the edition valid today, else (today past every edition) the latest one.

    Kept per day and search path: calculators called without a set ask for it on every call."""
    return _aktuell(familie, gruppe, dt.date.today(), os.environ.get(UMGEBUNG, ""))


@cache
def _aktuell(familie: str, gruppe: str, heute: dt.date, suchpfad: str) -> Regelwerk:
    try:
        return zum_stand(familie, heute, gruppe)
    except KeineAusgabeZumStand:
        editionen = reihe(familie, gruppe)
        if not editionen:
            raise
        return editionen[-1][0]


def waehle(familie: str, schluessel: str | None = None, stand: dt.date | None = None, gruppe: str = "") -> Regelwerk:
    """By name (``schluessel``), else by date (``stand``), else the current edition — one way for every caller."""
    if schluessel is not None:
        regelwerk = lade(familie, schluessel)
        if stand is not None:
            gueltig = dict((r.schluessel, g) for r, g in reihe(familie, _gruppe(familie, schluessel)))
            if not gueltig[schluessel].umfasst(stand):
                raise KeineAusgabeZumStand(
                    f"{regelwerk.ausgabe.name} gilt nicht zum Stand {stand.strftime('%d.%m.%Y')} "
                    f"(gültig {gueltig[schluessel].deutsch()})"
                )
        return regelwerk
    if stand is not None:
        return zum_stand(familie, stand, gruppe)
    return aktuell(familie, gruppe)


def finde(familie: str, summe: str) -> Regelwerk | None:
    """The known edition (search folders) whose data have this fingerprint, if any."""
    for schluessel in dateien(familie):
        regelwerk = lade(familie, schluessel)
        if regelwerk.pruefsumme == summe or (len(summe) >= 12 and regelwerk.pruefsumme.startswith(summe)):
            return regelwerk
    return None
