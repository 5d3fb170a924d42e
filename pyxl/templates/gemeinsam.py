"""Building blocks every official form shares: header, applicant block, legend, input checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pyxl.pruefregeln import Befund, Schwere, befund, regel
from pyxl.templates.bauplan import Bauplan
from pyxl.templates.modell import Folgefehler, Pruefung, Werte

LEGENDE = (
    "Eingabefelder sind gestrichelt umrandet (und hell hinterlegt); alle anderen Zellen rechnen selbst und sind "
    "geschützt. Beträge in Euro, kaufmännisch gerundet."
)


def formularkopf(b: Bauplan, *, kennung: str, version: str, titel: str, untertitel: str, rechts: str,
                 umbruch: bool = False) -> None:  # fmt: skip
    """Title rows: form title and "Anlage … zu den …" as cells (not shapes), id and version at the right
    (``umbruch``: wrapped in its cell, where a long title leaves no room to its left)."""
    b.text("A", untertitel, stil="untertitel", schluessel="kopf.untertitel")
    b.text(rechts, f"Formular {kennung} · Version {version}", stil="kennung_umbruch" if umbruch else "kennung",
           schluessel="kopf.kennung")  # fmt: skip
    b.weiter()
    b.text("A", titel, stil="titel", schluessel="kopf.titel")
    b.weiter(2)


def antragstellerblock(
    b: Bauplan, *, spalte_text: str, spalte_eingabe: str, behoerde: str, bis_spalte: str | None = None
) -> None:
    """Authority and applicant: who applies, for what, to whom."""
    angaben = [
        ("antrag.empfaenger", "Zuwendungsempfänger (Antragsteller)", True),
        ("antrag.anschrift", "Anschrift", False),
        ("antrag.landkreis", "Landkreis", False),
        ("antrag.vorhaben", "Bezeichnung des Vorhabens", True),
        ("antrag.behoerde", behoerde, False),
        ("antrag.aktenzeichen", "Aktenzeichen", False),
        ("antrag.datum", "Datum", False),
    ]
    for schluessel, beschriftung, pflicht in angaben:
        b.text(spalte_text, beschriftung + (" *" if pflicht else ""), stil="beschriftung")
        b.eingabe(spalte_eingabe, schluessel, text_pruefung(beschriftung, pflicht=pflicht), bis_spalte=bis_spalte)
        b.weiter()
    b.text(spalte_text, "* Pflichtangabe", stil="hinweis")
    b.weiter()


UNTERSCHRIFT_HOEHE = 36.0  # points: room above the line for a handwritten signature


def unterschriftenblock(b: Bauplan, *, spalte_text: str, spalte_eingabe: str, bis_spalte: str | None = None) -> None:
    """The signature block as official forms end: "Ort, Datum", "Name in Druckschrift" and the signature line,
    below the last row, so no row of the form moves. Place and name may be typed (optional; a form is often signed
    on paper). The block is no part of what is checked (``Bauplan.zusatz``: no field, no row anchor), so a
    submission on the form before it is checked as before. Forms used inside the administration (the county's
    Übersicht, the NKF plans) carry none."""
    b.weiter()
    for beschriftung in ("Ort, Datum", "Name in Druckschrift"):
        b.zusatz(spalte_text, beschriftung)
        b.zusatz(spalte_eingabe, pruefung=text_pruefung(beschriftung), bis_spalte=bis_spalte)
        b.weiter()
    b.zusatz(spalte_text, "Unterschrift")
    b.zusatz(spalte_eingabe, "", stil="unterschrift", bis_spalte=bis_spalte)
    b.zeilenhoehen[b.zeile] = UNTERSCHRIFT_HOEHE
    b.weiter()


def legende(b: Bauplan, spalte: str = "A") -> None:
    b.text(spalte, LEGENDE, stil="hinweis", schluessel="kopf.legende")
    b.weiter(2)


def text_pruefung(was: str, *, pflicht: bool = False, regel: str = "Formular") -> Pruefung:
    return Pruefung("text", regel=regel, hinweis=f"{was} eintragen.", pflicht=pflicht)


def ganzzahl_pruefung(was: str, regel: str, *, minimum: int = 1, maximum: int | None = None) -> Pruefung:
    bereich = f"ab {minimum}" if maximum is None else f"von {minimum} bis {maximum}"
    return Pruefung(
        "ganzzahl",
        regel=regel,
        hinweis=f"{was}: ganze Zahl {bereich} ({regel}).",
        minimum=Decimal(minimum),
        maximum=None if maximum is None else Decimal(maximum),
    )


def dezimal_pruefung(was: str, regel: str, *, minimum: Decimal = Decimal(0), groesser: bool = False) -> Pruefung:
    """A number ≥ minimum, or > minimum with ``groesser``."""
    grenze = "größer als" if groesser else "mindestens"
    return Pruefung(
        "dezimal", regel=regel, hinweis=f"{was}: Zahl {grenze} {minimum} ({regel}).", minimum=minimum,
        minimum_ausgeschlossen=groesser,
    )  # fmt: skip


def listen_pruefung(was: str, regel: str, werte: tuple[str, ...], *, pflicht: bool = False) -> Pruefung:
    return Pruefung(
        "liste", regel=regel, hinweis=f"{was}: {', '.join(werte)} ({regel}).", liste=werte, pflicht=pflicht,
    )  # fmt: skip


def konstante(b: Bauplan, name: str, text: str, wert: Decimal | int, einheit: str, fundstelle: str) -> None:
    """One number of a rule on a parameter sheet: a named, locked cell the native formulas read, with its clause."""
    b.text("A", text, stil="zelle")
    b.text("B", wert, stil="zelle", name=name, schluessel=f"param.{name}")
    b.text("C", einheit, stil="zelle")
    b.text("D", fundstelle, stil="zelle")
    b.weiter()


def datum_pruefung(was: str, regel: str) -> Pruefung:
    return Pruefung("datum", regel=regel, hinweis=f"{was}: Datum TT.MM.JJJJ ({regel}).")


@dataclass(frozen=True)
class Flagge:
    """A yes/no cell of a rule ("Stellungnahme nötig"): when it says "ja", the validator reports it — as a note
    for the reviewer, since the submission is not wrong for it."""

    schluessel: str
    berechnung: Callable[[Werte], str | None]
    schwere: Literal["warning", "info"]
    regel_id: str
    meldung: str
    fundstelle: str

    def __post_init__(self) -> None:
        regel(self.regel_id).pruefe_schwere(self.schwere)  # id and severity from the catalogue, checked at import


def flaggen_regel(*flaggen: Flagge) -> Callable[[Werte], list[Befund]]:
    """One cross-field rule reporting every raised flag, recomputed from the submission's own values (so a flag
    hidden by an overwritten cell is still reported)."""

    def gesetzte_flaggen(w: Werte) -> list[Befund]:
        befunde = []
        for flagge in flaggen:
            try:
                gesetzt = flagge.berechnung(w) == "ja"
            except (ArithmeticError, TypeError, ValueError, LookupError, Folgefehler):
                continue  # a precedent is missing or an error: the formula checks report that
            if gesetzt:
                befunde.append(befund(flagge.regel_id, schwere=Schwere(flagge.schwere), schluessel=flagge.schluessel,
                                      meldung=flagge.meldung, fundstelle=flagge.fundstelle))  # fmt: skip
        return befunde

    return gesetzte_flaggen
