"""Editions: which parameter files there are, which one applies at a date, and a fingerprint of each.

A parameter file is ``<familie>.toml`` or ``<familie>_<schluessel>.toml`` (``rzwas_2005.toml``,
``oepnv_rotenburg.toml``) in the package's folder or in a folder named by the environment variable
``PYXL_PARAMETER`` (several separated by the OS path separator): an administration adds an edition or its county
there without touching the package. The same file name in two folders is refused — except for a continued table
(``fortgeschrieben``, the Basiszinssatz): a copy in ``PYXL_PARAMETER`` replaces the package's, so an administration
adds the new half-year values itself; the copy must keep every value of the package's table (it only appends).
Every file states in ``[ausgabe]`` its edition's name, its validity and its source.

Editions of one series are chosen by name or by a date. The series is the whole family (RZWas: 2005, 2018, …), or,
for families with one rule set per county or state (``gruppiert``), the files of that county: a file's series is
``reihe`` in its ``[ausgabe]``, else its key. So ``oepnv_rotenburg_2026.toml`` with ``reihe = "rotenburg"`` is a
later edition of ``oepnv_rotenburg.toml``; ``oepnv_rotenburg_wuemme.toml`` without it is a county of its own. An
edition without an end date is valid until the next edition of its series begins. Two editions valid on the same
day (also two beginning on the same day) are refused: one date, one answer.

The current edition (:func:`aktuell`) is kept until the day, the search path, a search folder (a file added or
removed) or a file of the family changes: a long-running ``pyxl serve`` notices an edited parameter file.

A parameter file is read only if it is a regular file of at most 1 MB in UTF-8; whatever is wrong with it is said
in German (:class:`UnbekannteAusgabe`), as is a value outside its range (the models' own checks).
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import re
import stat
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from functools import cache
from pathlib import Path
from typing import ClassVar, TypeVar

from pyxl.parameter._daten import _bauen, _Daten

ORDNER = Path(__file__).parent
UMGEBUNG = "PYXL_PARAMETER"
# the largest file of the package has 12 kB; the limit refuses /dev/zero or a runaway file before it fills memory
GROESSTE_DATEI = 1024 * 1024
_MINDESTSUMME = 12  # hex digits of a fingerprint that name a set (as shown to people: kurzsumme)

T = TypeVar("T")


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
    reihe: str = ""  # the series (county, state) of a grouped family; none: the file's key

    def __post_init__(self) -> None:
        if self.gueltig_bis is not None and self.gueltig_bis < self.gueltig_ab:
            raise ValueError(
                f"gueltig_bis ({self.gueltig_bis:%d.%m.%Y}) liegt vor gueltig_ab ({self.gueltig_ab:%d.%m.%Y})"
            )


@dataclass(frozen=True)
class Gueltigkeit:
    ab: dt.date
    bis: dt.date | None  # None: open

    def umfasst(self, tag: dt.date) -> bool:
        return self.ab <= tag and (self.bis is None or tag <= self.bis)

    def deutsch(self) -> str:
        ende = self.bis.strftime("%d.%m.%Y") if self.bis else "ohne Enddatum"
        return f"{self.ab.strftime('%d.%m.%Y')} – {ende}"


class Regelwerk(_Daten):
    """One edition of a rule family's parameters. After loading it knows its key (file name), its file and the
    SHA-256 of its data (:attr:`pruefsumme`: what a form or report records to name exactly this set)."""

    familie: ClassVar[str] = ""
    bezeichnung: ClassVar[str] = ""  # the family as messages name it: "RZWas"
    gruppiert: ClassVar[bool] = False  # one series per county/state rather than one for the family
    standardgruppe: ClassVar[str] = ""  # the county/state chosen when a call names none
    # an official table that only grows (a new value every half-year): a later state keeps every earlier value, so a
    # form recorded with an earlier state is checked with the current one's values up to it (frueherer_stand), and a
    # copy in PYXL_PARAMETER replaces the package's file. Its fingerprint covers its values, not [ausgabe] (name and
    # end follow from the values): an earlier state's sum can be computed from the current table.
    fortgeschrieben: ClassVar[bool] = False
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

    def setzt_fort(self, frueher: Regelwerk) -> bool:
        """Whether this state of a continued table keeps every value of the earlier one (it only appends)."""
        return self == frueher

    def frueherer_stand(self, summe: str) -> Regelwerk | None:
        """Of a continued table: the earlier state (its first values) with this fingerprint, if there was one."""
        return None

    @property
    def gruppe(self) -> str:
        """The series within the family: ``""`` for one series per family, else ``reihe`` or the file's key."""
        return (self.ausgabe.reihe or self.schluessel) if self.gruppiert else ""

    @property
    def kurzsumme(self) -> str:
        """The first 12 hex digits of the fingerprint, as shown to people (the full one stays in JSON)."""
        return self.pruefsumme[:_MINDESTSUMME]

    def gueltigkeit(self) -> Gueltigkeit:
        """The effective validity: an open end closes the day before the next edition of the series begins. A set
        that is no edition of the search folders (``--satzung``) has its own."""
        try:
            for regelwerk, gueltig in _frisch("reihe", self.familie, self.gruppe, reihe):
                if regelwerk.pruefsumme == self.pruefsumme:
                    return gueltig
        except UnbekannteAusgabe:  # a broken neighbour: the choice of a set reports it, not its record
            pass
        return Gueltigkeit(self.ausgabe.gueltig_ab, self.ausgabe.gueltig_bis)

    def herkunft(self) -> dict[str, object]:
        """What an output records about this set (JSON keys in English as everywhere in reports); the validity is
        the effective one (:meth:`gueltigkeit`)."""
        gueltig = self.gueltigkeit()
        return {
            "family": self.familie,
            "key": self.schluessel,
            "edition": self.ausgabe.name,
            "valid_from": gueltig.ab.isoformat(),
            "valid_to": gueltig.bis.isoformat() if gueltig.bis else None,
            "source": self.ausgabe.quelle,
            "hash": self.pruefsumme,
        }


def stimmt(pruefsumme: str, summe: str) -> bool:
    """Whether a recorded fingerprint names the set of ``pruefsumme``: all of it or its first 12 or more digits
    (a shorter one, even ``""``, names none)."""
    return len(summe) >= _MINDESTSUMME and pruefsumme.startswith(summe)


# ------------------------------------------------------------------------------------------ files


def suchordner() -> tuple[Path, ...]:
    """The package's folder, then the folders of ``PYXL_PARAMETER``."""
    zusaetzlich = [Path(t) for t in os.environ.get(UMGEBUNG, "").split(os.pathsep) if t.strip()]
    return (ORDNER, *zusaetzlich)


def _dieselbe(a: Path, b: Path) -> bool:
    """One file reached twice (PYXL_PARAMETER naming the package folder, a symlink, ``pyxl/../pyxl``)."""
    try:
        return a == b or os.path.samefile(a, b)
    except OSError:
        return False


def dateien(familie: str) -> dict[str, Path]:
    """Key → file of every parameter file of the family (``""`` for ``<familie>.toml``)."""
    klasse = Regelwerk.klassen.get(familie)
    ersetzbar = klasse is not None and klasse.fortgeschrieben
    gefunden: dict[str, Path] = {}
    for ordner in suchordner():
        for datei in sorted(ordner.glob(f"{familie}*.toml")):
            if datei.stem != familie and not datei.stem.startswith(f"{familie}_"):
                continue
            schluessel = datei.stem.removeprefix(familie).removeprefix("_")
            bisher = gefunden.get(schluessel)
            if bisher is not None and not _dieselbe(bisher, datei):
                if not (ersetzbar and bisher.parent == ORDNER):
                    raise UnbekannteAusgabe(
                        f"Parameterdatei „{datei.name}“ doppelt: {bisher.parent} und {datei.parent}"
                    )
            elif bisher is not None:
                continue  # the same file again: the first path stays
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


class _Unlesbar(Exception):
    """Why a file cannot be read, in German."""


def _os_grund(fehler: OSError) -> str:
    if fehler.errno in (errno.ENOENT, errno.ENOTDIR):
        return "Datei nicht gefunden"
    if fehler.errno in (errno.EACCES, errno.EPERM):
        return "keine Leseberechtigung"
    if fehler.errno == errno.EISDIR:
        return "keine reguläre Datei (ein Verzeichnis)"
    if fehler.errno == errno.ELOOP:
        return "symbolische Verknüpfung im Kreis"
    if fehler.errno == errno.ENAMETOOLONG:
        return "Pfad zu lang"
    return f"Lesefehler des Dateisystems ({errno.errorcode.get(fehler.errno or 0, type(fehler).__name__)})"


def _text(datei: Path) -> str:
    """The file's text: only a regular file (a FIFO, device or directory is refused before any read — opened
    non-blocking, so a FIFO swapped in since cannot hang the call), at most :data:`GROESSTE_DATEI`, UTF-8."""
    zu_gross = f"größer als {GROESSTE_DATEI // (1024 * 1024)} MB"
    try:
        if not stat.S_ISREG(os.stat(datei).st_mode):
            raise _Unlesbar("keine reguläre Datei (Verzeichnis, Gerät oder FIFO)")
        deskriptor = os.open(datei, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        with os.fdopen(deskriptor, "rb") as offen:
            info = os.fstat(offen.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise _Unlesbar("keine reguläre Datei (Verzeichnis, Gerät oder FIFO)")
            if info.st_size > GROESSTE_DATEI:
                raise _Unlesbar(zu_gross)
            daten = offen.read(GROESSTE_DATEI + 1)
    except OSError as fehler:
        raise _Unlesbar(_os_grund(fehler)) from None
    if len(daten) > GROESSTE_DATEI:  # grew while being read
        raise _Unlesbar(zu_gross)
    try:
        return daten.decode("utf-8-sig")  # a byte order mark, as Windows editors write one, is no error
    except UnicodeDecodeError as fehler:
        zeile = daten[: fehler.start].count(b"\n") + 1
        raise _Unlesbar(f"kein UTF-8-Text (Zeile {zeile})") from None


_STELLE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _toml(datei: Path) -> dict:
    try:
        return tomllib.loads(_text(datei), parse_float=Decimal)
    except _Unlesbar as fehler:
        grund = str(fehler)
    except ValueError as fehler:  # TOMLDecodeError, or an integer of more than 4.300 digits
        stelle = _STELLE.search(str(fehler))  # tomllib's "(at line N, column M)"
        grund = "kein gültiges TOML" + (f" (Zeile {stelle[1]}, Spalte {stelle[2]})" if stelle else "")
    except RecursionError:  # arrays nested thousands deep
        grund = "kein gültiges TOML (zu tief verschachtelt)"
    except MemoryError:
        grund = "zu wenig Arbeitsspeicher"
    raise UnbekannteAusgabe(f"Parameterdatei {datei} nicht lesbar: {grund}")


# exact: no rounding to the default context's 28 digits, so two different numbers never read alike
_GENAU = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _kanonisch(wert: object) -> object:
    """The data with every value as tagged text: a number as its normalised Decimal (``1380``, ``1380.0`` and
    ``1.38e3`` alike), so the fingerprint follows the values, not how the file writes them."""
    if isinstance(wert, dict):
        return {str(k): _kanonisch(v) for k, v in wert.items()}
    if isinstance(wert, list | tuple):
        return [_kanonisch(v) for v in wert]
    if isinstance(wert, bool):
        return f"b:{str(wert).lower()}"
    if isinstance(wert, int | Decimal):
        zahl = Decimal(wert)
        return "n:0" if zahl.is_finite() and not zahl else f"n:{zahl.normalize(_GENAU)}"
    if isinstance(wert, dt.datetime):  # before date: a datetime is a date too
        return f"z:{wert.isoformat()}"
    if isinstance(wert, dt.date | dt.time):
        return f"{'d' if isinstance(wert, dt.date) else 't'}:{wert.isoformat()}"
    return f"s:{wert}"


def pruefsumme(daten: dict) -> str:
    """SHA-256 (lowercase hex) of the data as read, in a canonical form: the same values give the same sum
    whatever the comments, order, spacing or the way a number is written (``1380`` / ``1380.0``, ``1.5`` / ``1.50``)."""
    text = json.dumps(_kanonisch(daten), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def aus_daten(klasse: type[Regelwerk], daten: dict, schluessel: str, datei: Path | None) -> Regelwerk:
    """The model of one edition from its TOML data, with key, file and fingerprint attached."""
    modell = _bauen(klasse, daten)
    if modell.ausgabe.reihe and not klasse.gruppiert:
        raise ValueError(f"ausgabe.reihe: {klasse.bezeichnung} hat nur eine Reihe von Ausgaben, keine je Landkreis")
    object.__setattr__(modell, "schluessel", schluessel)
    object.__setattr__(modell, "datei", datei)
    summiert = {k: v for k, v in daten.items() if k != "ausgabe"} if klasse.fortgeschrieben else daten
    object.__setattr__(modell, "pruefsumme", pruefsumme(summiert))
    return modell


def _modell(klasse: type[Regelwerk], daten: dict, schluessel: str, datei: Path) -> Regelwerk:
    """:func:`aus_daten`, a file not of the family's shape (or a value out of range): German, naming the key."""
    try:
        return aus_daten(klasse, daten, schluessel, datei)
    except (ValueError, TypeError) as fehler:  # pydantic's ValidationError is a ValueError
        grund = _grund(fehler)
    except RecursionError:
        grund = "zu tief verschachtelt"
    raise UnbekannteAusgabe(f"Parameterdatei {datei} hat nicht den erwarteten Aufbau: {grund}")


# A file time is coarse (a clock tick of some ms): an edit in the same tick as the stat before it keeps the time.
# Whatever was stamped within this margin of now is not kept, but read again next time.
_UNSICHER_NS = 2_000_000_000


def _sicher(mtime_ns: int) -> bool:
    return mtime_ns < time.time_ns() - _UNSICHER_NS


@cache
def _geladen(familie: str, schluessel: str, datei: Path, stempel: tuple[int, int, int]) -> Regelwerk:
    return _modell(Regelwerk.klassen[familie], _toml(datei), schluessel, datei)


def _laden(familie: str, schluessel: str, datei: Path) -> Regelwerk:
    try:
        stand = datei.stat()
    except OSError as fehler:
        raise UnbekannteAusgabe(f"Parameterdatei {datei} nicht lesbar: {_os_grund(fehler)}") from None
    if not _sicher(stand.st_mtime_ns):  # just written: perhaps not its last change in this tick
        return _geladen.__wrapped__(familie, schluessel, datei, ())
    return _geladen(familie, schluessel, datei, (stand.st_mtime_ns, stand.st_size, stand.st_ino))


def lade(familie: str, schluessel: str) -> Regelwerk:
    """The edition ``schluessel`` of the family (``"2005"``, ``"rotenburg"``); German error naming those there are."""
    alle = dateien(familie)
    datei = alle.get(schluessel)
    if datei is None:
        vorhanden = ", ".join(sorted(p.stem for p in alle.values())) or "keine"
        name = f"{familie}_{schluessel}" if schluessel else familie
        raise UnbekannteAusgabe(f"Keine Parameterdatei „{name}“ (vorhanden: {vorhanden})")
    regelwerk = _laden(familie, schluessel, datei)
    paket = ORDNER / datei.name
    if regelwerk.fortgeschrieben and datei.parent != ORDNER and paket.is_file() and not _dieselbe(paket, datei):
        if not regelwerk.setzt_fort(_laden(familie, schluessel, paket)):
            raise UnbekannteAusgabe(
                f"Parameterdatei {datei} ersetzt {datei.name} des Pakets, enthält aber nicht alle ihre Werte "
                "unverändert – eine fortgeschriebene Tabelle darf nur neue Werte anfügen"
            )
    return regelwerk


def aus_datei(klasse: type[Regelwerk], pfad: Path) -> Regelwerk:
    """A rule set from a file of the family's shape outside the search folders (``--satzung kreis.toml``).
    A file that is not of that shape: :class:`UnbekannteAusgabe` naming the first key that is wrong, in German."""
    return _modell(klasse, _toml(Path(pfad)), Path(pfad).stem.removeprefix(f"{klasse.familie}_"), Path(pfad))


_GRUENDE = {"missing": "fehlt", "missing_argument": "fehlt", "extra_forbidden": "ist unbekannt",
            "unexpected_keyword_argument": "ist unbekannt", "decimal_parsing": "ist keine Zahl",
            "int_parsing": "ist keine ganze Zahl", "int_from_float": "ist keine ganze Zahl",
            "string_type": "ist kein Text", "date_from_datetime_parsing": "ist kein Datum",
            "date_type": "ist kein Datum", "list_type": "ist keine Liste", "tuple_type": "ist keine Liste",
            "dict_type": "ist keine Tabelle", "model_type": "ist keine Tabelle"}  # fmt: skip


def _grund(fehler: Exception) -> str:
    """The first problem pydantic found, in German: "Schlüssel wagnis.satz ist keine Zahl"; a model's own check
    (a value out of range) in its own words."""
    fehlerliste = getattr(fehler, "errors", None)
    if callable(fehlerliste) and fehlerliste():
        erster = fehlerliste()[0]
        anzahl = len(fehlerliste())
        weitere = f" (insgesamt {anzahl} Fehler)" if anzahl > 1 else ""
        ort = ".".join(str(teil) for teil in erster["loc"])
        if erster["type"] == "value_error" and "error" in erster.get("ctx", {}):  # a model's own check, its words
            return f"{f'Schlüssel {ort}: ' if ort else ''}{erster['ctx']['error']}{weitere}"
        ort = ort or "(Wurzel)"
        return f"Schlüssel {ort} {_GRUENDE.get(erster['type'], 'hat einen ungültigen Wert')}{weitere}"
    return str(fehler).splitlines()[0]


# ------------------------------------------------------------------------------------------ editions by date


def _datum(tag: dt.date) -> str:
    return tag.strftime("%d.%m.%Y")


def reihe(familie: str, gruppe: str = "") -> list[tuple[Regelwerk, Gueltigkeit]]:
    """The editions of one series in order of their start, each with its effective validity."""
    ausgaben = sorted(
        (r for r in (lade(familie, s) for s in dateien(familie)) if r.gruppe == gruppe),
        key=lambda r: r.ausgabe.gueltig_ab,
    )
    ergebnis = []
    for nummer, regelwerk in enumerate(ausgaben):
        naechste = ausgaben[nummer + 1] if nummer + 1 < len(ausgaben) else None
        bis = regelwerk.ausgabe.gueltig_bis
        if naechste is not None:
            beginn = naechste.ausgabe.gueltig_ab
            if beginn <= regelwerk.ausgabe.gueltig_ab:  # sorted: the same day — either would shadow the other
                raise UnbekannteAusgabe(
                    f"{regelwerk.ausgabe.name} und {naechste.ausgabe.name} beginnen beide am {_datum(beginn)}: "
                    "Gültigkeiten überschneiden sich"
                )
            tag_davor = beginn - dt.timedelta(days=1)
            if bis is not None and bis > tag_davor:
                raise UnbekannteAusgabe(
                    f"{regelwerk.ausgabe.name} und {naechste.ausgabe.name} gelten beide am {_datum(beginn)}: "
                    "Gültigkeiten überschneiden sich"
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
        f"Für den Stand {_datum(tag)} gilt keine Ausgabe „{Regelwerk.klassen[familie].bezeichnung}"
        f"{' ' + gruppe if gruppe else ''}“ (bekannt: {bekannt})"
    )


def _heute(familie: str, gruppe: str) -> Regelwerk:
    heute = dt.date.today()
    try:
        return zum_stand(familie, heute, gruppe)
    except KeineAusgabeZumStand:
        begonnen = [r for r, _ in reihe(familie, gruppe) if r.ausgabe.gueltig_ab <= heute]
        if not begonnen:  # only future editions: none applies yet
            raise
        return begonnen[-1]


def aktuell(familie: str, gruppe: str = "") -> Regelwerk:
    """Without name or date: the edition valid today, else (today past every edition) the latest one that has
    begun; none begun: :class:`KeineAusgabeZumStand`.

    Kept until something it depends on changes (:func:`_frisch`): calculators called without a set ask for it on
    every call."""
    return _frisch("aktuell", familie, gruppe, _heute)


def _stempel(pfad: str) -> tuple[int, int, int] | None:
    try:
        info = os.stat(pfad)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


_GEMERKT: dict[tuple[str, str, str], tuple[tuple[dt.date, str], tuple[tuple[str, object], ...], object]] = {}


def _frisch(art: str, familie: str, gruppe: str, rechnen: Callable[[str, str], T]) -> T:
    """``rechnen(familie, gruppe)``, kept until the day, ``PYXL_PARAMETER``, a search folder (a file added,
    removed or renamed changes the folder's time) or a file of the family (edited in place) changes: one stat per
    folder and file (measured per call: ``rzwas()`` 1,4 → 6 µs, ``nkf()`` with three files 10 µs). A folder or
    file changed in the last seconds is not trusted to keep its time through a further change: until then the
    result is computed anew."""
    kennung = (dt.date.today(), os.environ.get(UMGEBUNG, ""))
    gemerkt = _GEMERKT.get((art, familie, gruppe))
    if gemerkt is not None and gemerkt[0] == kennung and all(_stempel(p) == s for p, s in gemerkt[1]):
        return gemerkt[2]  # type: ignore[return-value]
    ordner = [str(o) for o in suchordner()]
    stempel = [(o, _stempel(o)) for o in ordner]  # before the files are read: a change after it is noticed
    stempel += [(str(d), _stempel(str(d))) for d in dateien(familie).values()]
    ergebnis = rechnen(familie, gruppe)
    if all(s is None or _sicher(s[0]) for _, s in stempel):
        _GEMERKT[(art, familie, gruppe)] = (kennung, tuple(stempel), ergebnis)
    return ergebnis


def waehle(familie: str, schluessel: str | None = None, stand: dt.date | None = None, gruppe: str = "") -> Regelwerk:
    """By name (``schluessel``), else by date (``stand``), else the current edition — one way for every caller."""
    if schluessel is not None:
        regelwerk = lade(familie, schluessel)
        if stand is not None:
            gueltig = {r.schluessel: g for r, g in reihe(familie, regelwerk.gruppe)}
            if not gueltig[schluessel].umfasst(stand):
                raise KeineAusgabeZumStand(
                    f"{regelwerk.ausgabe.name} gilt nicht zum Stand {_datum(stand)} "
                    f"(gültig {gueltig[schluessel].deutsch()})"
                )
        return regelwerk
    if stand is not None:
        return zum_stand(familie, stand, gruppe)
    return aktuell(familie, gruppe)


def _gruppen(familie: str, _: str = "") -> dict[str, str]:
    return {schluessel: lade(familie, schluessel).gruppe for schluessel in dateien(familie)}


def reihen(familie: str) -> tuple[str, ...]:
    """The series of a grouped family (counties, states) there are files of."""
    return tuple(sorted(set(_gruppen(familie).values())))


def waehle_benannt(familie: str, name: str, stand: dt.date | None = None) -> Regelwerk:
    """A grouped family's set by name: a series (county, state) gives its edition valid at ``stand`` or today; the
    key of a file that is no series itself (``rotenburg_2026``, an edition of „rotenburg“) gives that file."""
    if stand is None:  # every call of a calculator without a set: kept as aktuell() is
        return _frisch("benannt", familie, name, _benannt)
    return _benannt(familie, name, stand)


def _benannt(familie: str, name: str, stand: dt.date | None = None) -> Regelwerk:
    gruppen = _gruppen(familie)
    if name in gruppen and name not in gruppen.values():
        return waehle(familie, name, stand)
    return waehle(familie, None, stand, gruppe=name)


def alle_pruefen() -> None:
    """Read every parameter file of the search folders and order every series: a broken file, a value out of
    range or two editions valid on one day raises :class:`UnbekannteAusgabe` (German) before a command starts its
    work — not halfway through it, and not as a finding about someone's submission."""
    for familie, klasse in Regelwerk.klassen.items():
        gruppen = _gruppen(familie) if klasse.gruppiert else {"": ""}
        for gruppe in sorted(set(gruppen.values())):
            reihe(familie, gruppe)


def finde(familie: str, summe: str) -> Regelwerk | None:
    """The known edition (search folders) whose data have this fingerprint (all of it or 12+ digits), if any."""
    for schluessel in dateien(familie):
        regelwerk = lade(familie, schluessel)
        if stimmt(regelwerk.pruefsumme, summe):
            return regelwerk
    return None
