"""The edge cases of the LibreOffice proof: per form a fixed set of fillings that reaches every edge of
:data:`KANTEN` on every required side, raises every flag of :data:`FLAGGEN` both ways and shows the sheet's error
path where :data:`FEHLERPFADE` asks for it — always, before any random case (``PYXL_FAELLE`` only adds random ones).

How they are chosen, in Python only (no spreadsheet; well under a second):

0. the empty form (nothing entered);
1. the *targeted* fillings of :data:`GEZIELT`: small hand-made cases with one input solved for so that an edge is hit
   exactly and by one cent (one unit) either side — AK = 1.277,99 / 1.278,00 / 1.278,01 €, a sum of exactly
   5.000.000,00 €, the last capped and the first uncapped KRW, an ex ante amount of exactly 1.000,00 €, …;
2. then, from a pool of :data:`POOL` random fillings (own seed), greedily the fewest that reach what is still missing
   (a side of an edge, a flag value, an error).
"""

from __future__ import annotations

import datetime
import functools
import math
import random
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from pyxl.templates import Fehlerwert, formulare
from pyxl.templates.modell import Rolle
from pyxl.templates.rzwas_parameter import verfahren
from tests.fuellungen import fuellung

CENT = Decimal("0.01")
POOL = 100  # random candidates per form that the greedy choice picks from


class Kante(NamedTuple):
    """Where a rule changes its mind: the value of ``schluessel`` (an input or a computed cell) around ``wert``.

    ``seiten`` lists what the edge cases must reach: ``<`` below, ``>`` above, ``=`` exactly at, ``-`` exactly one
    ``schritt`` below, ``+`` exactly one ``schritt`` above. A cap cannot be passed (``<=``), nor a floor (``=+``)."""

    schluessel: str
    wert: Decimal
    seiten: str = "-=+"
    schritt: Decimal = CENT


def _k(schluessel: str, wert: object, seiten: str = "-=+", schritt: object = CENT) -> Kante:
    return Kante(schluessel, Decimal(str(wert)), seiten, Decimal(str(schritt)))


KANTEN = {
    # the 5-Mio cliff of the Ingenieur-Zuschlag (above it the smaller rate); the Gebäude note from 6.250 m³
    "RZWAS-3A": [_k("summe.basis", 5_000_000), _k("pos.geb.1.menge", 6250, schritt=1)],
    # the cliff; the caps of the KRW power formulas (Kläranlage, Pumpstation, Regenbecken): reached and just missed
    "RZWAS-3B": [_k("summe.kp", 5_000_000), _k("pos.ka.1.krw", 1380, "<="), _k("pos.pw.1.krw", 8200, "<="),
                 _k("pos.rb.1.krw", 1280, "<=")],
    # the Förderschwelle, the branch change of the ZH formula, the 70 % cap
    "RZWAS-4": [_k("ak.ak", 1278), _k("ak.ak", 4090), _k("ak.zh", 70, "<=")],
    # the Bagatellgrenze, the sign of BE_Basis, nothing or a cent of ex ante
    "OEPNV-EA": [_k("ea.exante", 1000), _k("ea.be_basis", 0), _k("ea.exante", 0, "=+")],
    # the sign of the Höchstbetrag A, nothing or a cent overpaid, nothing or a cent of interest
    "OEPNV-EP": [_k("ep.a_max", 0), _k("ep.ueberzahlung", 0, "=+"), _k("ep.zins", 0, "=+")],
    # no cent or one cent left over after rounding the cut shares down
    "OEPNV-UE": [_k("ue.restcent", 0, "=+", 1)],
}  # fmt: skip
# Flags of the Satzung (Ziffer 3.11, 7.2, 3.13, 1.8): each must come out "ja" and "nein".
FLAGGEN = {"OEPNV-EA": ["ea.flag_311", "ea.flag_72"], "OEPNV-EP": ["ep.flag_313"],
           "OEPNV-UE": ["ue.abschmelzung", "ue.unterdeckung"]}  # fmt: skip
# Forms whose error paths (the sheet shows #NV where Python refuses) the edge cases must take.
FEHLERPFADE = {"RZWAS-3A", "RZWAS-3B", "OEPNV-EA", "OEPNV-EP"}
FEHLER = "Fehlerwert"


def _werte(kennung: str, eingaben: dict[str, object]) -> dict[str, object]:
    return formulare()[kennung].nachrechnen(eingaben).werte


def wert(eingaben: dict[str, object], werte: dict[str, object], schluessel: str) -> Decimal | None:
    """The number an edge looks at: the input, else the computed cell (``None`` if empty or an error)."""
    w = eingaben.get(schluessel, werte.get(schluessel))
    return Decimal(str(w)) if isinstance(w, int | float | Decimal) and not isinstance(w, bool) else None


def _ziel(kante: Kante, seite: str) -> str:
    """A side of an edge as readable text: ``ak.ak = 1277.99``, ``pos.ka.1.krw < 1380``."""
    genau = {"-": kante.wert - kante.schritt, "+": kante.wert + kante.schritt}
    return f"{kante.schluessel} = {genau[seite]}" if seite in genau else f"{kante.schluessel} {seite} {kante.wert}"


def noetig(kennung: str) -> set[str]:
    """What the edge cases of a form must reach, as readable text."""
    ziele = {_ziel(k, s) for k in KANTEN.get(kennung, []) for s in k.seiten}
    ziele |= {f"{s} = {j}" for s in FLAGGEN.get(kennung, []) for j in ("ja", "nein")}
    return ziele | ({FEHLER} if kennung in FEHLERPFADE else set())


def erreicht(kennung: str, eingaben: dict[str, object]) -> set[str]:
    """What one filling reaches (in the terms of :func:`noetig`)."""
    werte = _werte(kennung, eingaben)
    ziele = {FEHLER} if any(isinstance(w, Fehlerwert) for w in werte.values()) else set()
    for kante in KANTEN.get(kennung, []):
        w = wert(eingaben, werte, kante.schluessel)
        if w is not None:
            lage = {"<": w < kante.wert, ">": w > kante.wert, "=": w == kante.wert,
                    "-": w == kante.wert - kante.schritt, "+": w == kante.wert + kante.schritt}  # fmt: skip
            ziele |= {_ziel(kante, s) for s, ja in lage.items() if ja}
    return ziele | {f"{s} = {werte.get(s)}" for s in FLAGGEN.get(kennung, [])}


@functools.cache
def kantenfaelle(kennung: str) -> tuple[dict[str, object], ...]:
    """The edge cases of a form: the targeted ones, then the fewest pool fillings that reach the rest."""
    faelle = [{}, *GEZIELT.get(kennung, list)()]  # {}: the empty form, nothing entered
    offen = noetig(kennung).difference(*(erreicht(kennung, e) for e in faelle))
    if offen:
        zufall = random.Random(f"pyxl-kanten-{kennung}")  # not the random cases' seed: those come on top
        pool = [(e, erreicht(kennung, e)) for e in (fuellung(kennung, zufall) for _ in range(POOL))]
        while offen:
            eingaben, ziele = max(pool, key=lambda p: len(p[1] & offen))  # the first of the best: reproducible
            if not ziele & offen:
                break  # left to the test, which names what is missing
            faelle.append(eingaben)
            offen -= ziele
    return tuple(faelle)


# ---------------------------------------------------------------- targeted fillings


def _treffen(kennung: str, eingaben: dict[str, object], stell: str, ziel: str, soll: Decimal) -> dict[str, object]:
    """``eingaben`` with the amount ``stell`` set so that the cell ``ziel`` is exactly ``soll``: the calculators are
    piecewise linear in one amount, so a few secant steps on the cent and a look at the neighbours find it."""

    def f(x: Decimal) -> Decimal | None:
        return wert({}, _werte(kennung, {**eingaben, stell: x}), ziel)

    x0, x1 = Decimal(str(eingaben[stell])), Decimal(str(eingaben[stell])) + 1000
    y0, y1 = f(x0), f(x1)
    for _ in range(12):
        if y1 == soll or y0 is None or y1 is None or y1 == y0:
            break
        x0, y0, x1 = x1, y1, (x1 + (soll - y1) * (x1 - x0) / (y1 - y0)).quantize(CENT)
        y1 = f(x1)
    for x in sorted((x1 + d * CENT for d in range(-5, 6)), key=lambda x: abs(x - x1)):
        if f(x) == soll:
            return {**eingaben, stell: x}
    raise AssertionError(f"{kennung}: {ziel} = {soll} über {stell} nicht erreicht (zuletzt {stell} = {x1}: {y1})")


def _rzwas_3a() -> list[dict[str, object]]:
    """Summe KP + KA + KF one cent under, at and over 5 Mio (the KA/KF amount solved for), with 6.249, 6.250 and 6.251
    m³ of Gebäude; and a quantity that is not whole (#NV)."""
    faelle = []
    for d in (-1, 0, 1):
        basis = {"pos.geb.1.menge": 6250 + d, "pos.wl.1.menge": 1200, "pos.wl.1.groesse": 150, "summe.bueros": 1,
                 "kakf.1.betrag": Decimal(1_000_000)}  # fmt: skip
        faelle.append(_treffen("RZWAS-3A", basis, "kakf.1.betrag", "summe.basis", 5_000_000 + d * CENT))
    return [*faelle, {"pos.wl.1.menge": 10.5, "pos.wl.1.groesse": 100}]


def _deckel(kennung: str, art: str, deckel: int) -> tuple[int, int]:
    """The largest quantity of a row whose KRW is still capped, and the next one (KRW just under the cap)."""
    for menge in range(1, 10_000):
        if wert({}, _werte(kennung, {f"pos.{art}.1.menge": menge}), f"pos.{art}.1.krw") < deckel:
            assert menge > 1, (art, "schon bei 1 unter dem Deckel")
            return menge - 1, menge
    raise AssertionError(f"{art}: Deckel {deckel} nie unterschritten")


def _kp_genau(basis: dict[str, object], soll: Decimal) -> dict[str, object]:
    """``basis`` plus a Sanierung Druckleitung row and a Druckleitung row whose quantities make the Summe der
    Kostenpauschalen exactly ``soll``: their KRWs in cents, k1·m1 + k2·m2 = rest (a linear Diophantine equation)."""

    def krw(art: str, verfahren: str) -> int:
        return int(wert({}, _werte("RZWAS-3B", {f"pos.{art}.1.menge": 1, f"pos.{art}.1.groesse": verfahren}),
                        f"pos.{art}.1.krw") * 100)  # fmt: skip

    rest = int((soll - wert({}, _werte("RZWAS-3B", basis), "summe.kp")) * 100)
    arten = verfahren(formulare()["RZWAS-3B"].regelwerke[0])  # the form's own edition
    for v1 in arten:
        for v2 in arten:
            k1, k2 = krw("sandl", v1), krw("dl", v2)
            if math.gcd(k1, k2) != 1:
                continue
            m1 = next(m for m in range(1, k2 + 1) if (rest - k1 * m) % k2 == 0)
            m2 = (rest - k1 * m1) // k2
            if m2 >= 1:
                eingaben = {**basis, "pos.sandl.1.menge": m1, "pos.sandl.1.groesse": v1, "pos.dl.1.menge": m2,
                            "pos.dl.1.groesse": v2}  # fmt: skip
                assert wert({}, _werte("RZWAS-3B", eingaben), "summe.kp") == soll
                return eingaben
    raise AssertionError(f"Summe KP {soll} nicht erreichbar")


def _rzwas_3b() -> list[dict[str, object]]:
    """Summe der Kostenpauschalen one cent under, at and over 5 Mio; Kläranlage, Pumpstation and Regenbecken at the
    last capped and the first uncapped quantity; and a quantity that is not whole (#NV)."""
    mengen = {art: _deckel("RZWAS-3B", art, deckel) for art, deckel in (("ka", 1380), ("pw", 8200), ("rb", 1280))}
    faelle = []
    for d in (-1, 0, 1):
        # capped beside the cliff, just under the caps at it
        basis: dict[str, object] = {f"pos.{art}.1.menge": m[d == 0] for art, m in mengen.items()}
        faelle.append(_kp_genau({**basis, "summe.bueros": 2}, 5_000_000 + d * CENT))
    return [*faelle, {"pos.fs.1.menge": 10.5, "pos.fs.1.groesse": 250}]


def _ak(ak: Decimal) -> dict[str, object]:
    """AK exactly ``ak``: investments of ak × 1.000 € for 1.000 inhabitants."""
    return {"inv.1.bezeichnung": "Investition 1", "inv.1.jahr": 2020, "inv.1.betrag": ak * 1000,
            "ak.einwohner": 1000, "ak.vertrauensschutz": 0, "ak.zwf": Decimal(1_000_000)}  # fmt: skip


def _rzwas_4() -> list[dict[str, object]]:
    """AK one cent under, at and over the Förderschwelle and the branch change; and at the first AK whose ZH is
    capped at 70 % and one cent under it (found by bisection: ZH rises with AK)."""
    unten, oben = 409_000, 10_000_000  # in cents: ZH below the cap, at the cap
    assert wert({}, _werte("RZWAS-4", _ak(Decimal(oben) / 100)), "ak.zh") == 70
    while oben - unten > 1:
        mitte = (unten + oben) // 2
        if wert({}, _werte("RZWAS-4", _ak(Decimal(mitte) / 100)), "ak.zh") == 70:
            oben = mitte
        else:
            unten = mitte
    raender = [Decimal(k) + d * CENT for k in (1278, 4090) for d in (-1, 0, 1)]
    return [_ak(ak) for ak in (*raender, Decimal(unten) / 100, Decimal(oben) / 100)]


def _exante() -> list[dict[str, object]]:
    """One cost and one revenue position, factors 1: the revenue is solved for ex ante one cent under, at and over
    1.000 € and exactly 0 and 0,01 €, and for BE_Basis one cent under, at and over 0. Then ex ante 1.050 € against a
    Vorjahr of 1.000 € (exactly 5 % more: no Stellungnahme, the Deckelung just holds) and of 999,99 € (3.11 raised,
    capped by a cent), with Fahrplan-km changing by exactly 2 % (no Neubestimmung) and by 2.001 of 100.000 (7.2)."""
    formular = formulare()["OEPNV-EA"]
    schluessel = next(f for f in formular.felder_mit(Rolle.EINGABE) if f.schluessel.endswith(".index")).pruefung.liste
    basis: dict[str, object] = {"kopf.unternehmen": "Test-Bus GmbH", "kopf.jahr": 2025}
    basis |= {f.schluessel: Decimal(1) for f in formular.felder_mit(Rolle.EINGABE)
              if f.schluessel.startswith("ea.index.")}  # fmt: skip
    basis |= {"ea.A01.basis": Decimal(100_000), "ea.A01.index": schluessel[0], "ea.E01.basis": Decimal(100_000),
              "ea.E01.index": schluessel[0]}  # fmt: skip
    ziele = [("ea.exante", 1000 + d * CENT) for d in (-1, 0, 1)] + [("ea.be_basis", d * CENT) for d in (-1, 0, 1)]
    ziele += [("ea.exante", Decimal(0)), ("ea.exante", CENT)]
    faelle = [_treffen("OEPNV-EA", basis, "ea.E01.basis", ziel, soll) for ziel, soll in ziele]
    vorjahr = _treffen("OEPNV-EA", basis, "ea.E01.basis", "ea.exante", Decimal(1050))
    for flagge, vj, delta in (("nein", Decimal(1000), 2000), ("ja", Decimal("999.99"), -2001)):
        fall = {**vorjahr, "ea.vorjahr": vj, "ea.fplkm": 100_000, "ea.fplkm_delta": delta}
        werte = _werte("OEPNV-EA", fall)
        assert (werte["ea.flag_311"], werte["ea.flag_72"]) == (flagge, flagge), (fall, werte)
        faelle.append(fall)
    return faelle


def _expost() -> list[dict[str, object]]:
    """Ist-Einnahmen solved for A one cent under, at and over 0; paid exactly the claim and one cent more; one cent of
    interest (the shortest period that yields it); Ist-Kosten exactly 10 % over Soll (no 3.13) and a cent more."""
    basis: dict[str, object] = {
        "kopf.unternehmen": "Test-Bus GmbH", "kopf.jahr": 2024, "ep.k_soll": Decimal(100_000),
        "ep.e_soll": Decimal(50_000), "ep.k_ist": Decimal(100_000), "ep.e_ist": Decimal(60_000),
        "ep.u": Decimal(200_000), "ep.exante": Decimal(10_000),
    }  # fmt: skip
    faelle = [_treffen("OEPNV-EP", basis, "ep.e_ist", "ep.a_max", d * CENT) for d in (-1, 0, 1)]
    anspruch = wert({}, _werte("OEPNV-EP", basis), "ep.anspruch")
    faelle += [{**basis, "ep.gezahlt": anspruch + d * CENT} for d in (0, 1)]
    von = datetime.date(2023, 1, 2)
    zinsfall = next(
        fall for tage in range(1, 366)
        if wert({}, _werte("OEPNV-EP", fall := {**basis, "ep.gezahlt": anspruch + 100, "ep.von": von,
                                                 "ep.bis": von + datetime.timedelta(tage)}), "ep.zins") == CENT
    )  # fmt: skip
    faelle.append(zinsfall)
    for flagge, k_ist in (("nein", Decimal(110_000)), ("ja", Decimal("110000.01"))):
        fall = {**basis, "ep.k_ist": k_ist}
        assert _werte("OEPNV-EP", fall)["ep.flag_313"] == flagge, fall
        faelle.append(fall)
    return faelle


def _uebersicht() -> list[dict[str, object]]:
    """Two claims of 1.000 €: cut to 1.000 € (no cent left over); a budget of exactly their sum (no Abschmelzung) and a
    cent less (Abschmelzung, one cent left over); exactly 7,5 % under their sum (no Unterdeckung) and a cent less."""
    faelle = []
    for gesamt, abschmelzung, unterdeckung in (("1000", "ja", "ja"), ("2000", "nein", "nein"),
                                               ("1999.99", "ja", "nein"), ("1850", "ja", "nein"),
                                               ("1849.99", "ja", "ja")):  # fmt: skip
        fall = {"kopf.jahr": 2025, "ue.gesamt": Decimal(gesamt), "ue.1.name": "Unternehmen 1",
                "ue.1.anspruch": Decimal(1000), "ue.2.name": "Unternehmen 2",
                "ue.2.anspruch": Decimal(1000)}  # fmt: skip
        werte = _werte("OEPNV-UE", fall)
        assert (werte["ue.abschmelzung"], werte["ue.unterdeckung"]) == (abschmelzung, unterdeckung), (gesamt, werte)
        faelle.append(fall)
    return faelle


GEZIELT: dict[str, Callable[[], list[dict[str, object]]]] = {
    "RZWAS-3A": _rzwas_3a, "RZWAS-3B": _rzwas_3b, "RZWAS-4": _rzwas_4, "OEPNV-EA": _exante, "OEPNV-EP": _expost,
    "OEPNV-UE": _uebersicht,
}  # fmt: skip
