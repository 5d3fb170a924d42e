"""Random but valid-looking (and sometimes deliberately invalid) fillings of the forms, by key.

Used by the LibreOffice proof: every filling is written into a template, recalculated by a real spreadsheet engine
and compared with Python's recomputation of the same inputs.
"""

from __future__ import annotations

import datetime
import math
import random
from decimal import Decimal

from pyxl.templates import formulare
from pyxl.templates.modell import Formular, Rolle
from pyxl.templates.rzwas_parameter import verfahren

# Typical magnitude of a row's quantity by kind (from the sizes the KRW formulas are made for)
MENGE_BIS = {"wl": 5000, "geb": 12000, "oe": 5000, "fs": 5000, "dl": 5000, "pw": 500, "rb": 5000, "ru": 2000,
             "bf": 3000, "ka": 200000, "sanfs": 3000, "sandl": 3000, "nr": 100000}  # fmt: skip


def _cent(zufall: random.Random, bis: int) -> Decimal:
    return Decimal(zufall.randint(0, bis * 100)) / 100


def _groesse(art: str, zufall: random.Random, druckleitungen: tuple[str, ...]) -> object:
    if art == "wl":
        return zufall.choice([25, 80, 100, 101, 125, 140, 150, 200, 225, 250, 275, 300, 301, 400])  # 301+: no KRW
    if art in {"fs", "sanfs"}:
        return zufall.choice([100, 200, 201, 250, 300, 350, 400, 600, 750, 1000, 1150, 1200, 1400, 2000])
    if art == "oe":
        return Decimal(zufall.randint(100, 20000)) / 1000
    if art in {"dl", "sandl"}:
        return zufall.choice(druckleitungen)
    if art == "rb":
        return zufall.choice([None, "massiv", "erdbau"])
    if art == "nr":
        return zufall.choice([1955, 1970, 1976, 1977, 1978, 1990, 2010])
    raise KeyError(art)


def positionen_fuellen(formular: Formular, zufall: random.Random) -> dict[str, object]:
    werte: dict[str, object] = {}
    for feld in formular.felder_mit(Rolle.EINGABE):
        teile = feld.schluessel.split(".")
        if teile[0] != "pos" or teile[3] != "menge" or zufall.random() < 0.4:
            continue
        art, nummer = teile[1], teile[2]
        basis = f"pos.{art}.{nummer}"
        # log-uniform: small sizes (where the caps bite) are as likely as large ones
        menge: object = max(1, round(math.exp(zufall.uniform(0, math.log(MENGE_BIS[art])))))
        if art == "geb" and zufall.random() < 0.2:
            menge = zufall.choice([6250, 6251, 12499, 12500, 13000])  # note, last positive KRW, errors
        if zufall.random() < 0.03:
            menge = menge + 0.5  # not whole: the sheet shows #NV, Python refuses
        werte[f"{basis}.menge"] = menge
        if art == "fs" and zufall.random() < 0.25:
            werte[f"{basis}.flaeche"] = Decimal(zufall.randint(10, 3000)) / 1000  # Sonderprofil
        elif any(f.schluessel == f"{basis}.groesse" for f in formular.felder):
            groesse = _groesse(art, zufall, verfahren(formular.regelwerke[0]))  # the form's own edition
            if groesse is not None:
                werte[f"{basis}.groesse"] = groesse
    for feld in formular.felder_mit(Rolle.EINGABE):
        if feld.schluessel.startswith("kakf.") and feld.schluessel.endswith(".betrag") and zufall.random() < 0.5:
            werte[feld.schluessel] = _cent(zufall, 2_000_000)
    werte["summe.bueros"] = zufall.choice([0, 0, 1, 2, 3])
    zusatz = "summe.anschlussentgelt" if formular.kennung == "RZWAS-3A" else "summe.sonstige"
    if zufall.random() < 0.3:
        werte[zusatz] = _cent(zufall, 300_000)
    return werte


# AK values at and around the rule's edges (Förderschwelle, branch change, 70 % cap)
AK_RAENDER = [Decimal(x) for x in ("1277.99", "1278", "4089.99", "4090", "6135.56", "6135.57")]


def ausbaukosten_fuellen(zufall: random.Random) -> dict[str, object]:
    werte: dict[str, object] = {}
    if zufall.random() < 0.15:
        einwohner, egw = 1000, Decimal(0)
        gesamt = zufall.choice(AK_RAENDER) * 1000
    else:
        einwohner = zufall.randint(50, 20000)
        egw = Decimal(zufall.randint(0, 20000)) / 10
        ak = Decimal(zufall.randint(20000, 1500000)) / 100
        gesamt = (ak * (einwohner + egw)).quantize(Decimal("0.01"))
    teile = zufall.randint(1, 5)
    rest = gesamt
    for i in range(1, teile + 1):
        betrag = rest if i == teile else (rest * Decimal(zufall.randint(10, 60)) / 100).quantize(Decimal("0.01"))
        rest -= betrag
        werte[f"inv.{i}.bezeichnung"] = f"Investition {i}"
        werte[f"inv.{i}.jahr"] = zufall.randint(1970, 2025)
        werte[f"inv.{i}.betrag"] = betrag
    werte["ak.einwohner"] = einwohner
    if egw:
        werte["ak.egw"] = egw
    stufe = zufall.choice([None, 0, 0, 1, 2])
    if stufe is not None:
        werte["ak.vertrauensschutz"] = stufe
    if zufall.random() < 0.9:
        werte["ak.zwf"] = _cent(zufall, 10_000_000)
    return werte


def nkf_fuellen(formular: Formular, zufall: random.Random) -> dict[str, object]:
    """Whole euros, expenses negative (the template's convention), many cells left empty."""
    werte: dict[str, object] = {}
    for feld in formular.felder_mit(Rolle.EINGABE):
        if feld.schluessel.startswith("kopf.") or zufall.random() < 0.5:
            continue
        pruefung = feld.pruefung
        betrag = zufall.randint(0, 2_000_000) if zufall.random() < 0.9 else zufall.randint(0, 999) + 0.37
        if pruefung.maximum is not None:  # expenses: entered negative
            betrag = -betrag
        elif pruefung.minimum is None:  # Bestandsveränderungen: either sign
            betrag = zufall.choice([-1, 1]) * betrag
        werte[feld.schluessel] = betrag
    return werte


def trennungsrechnung_fuellen(formular: Formular, zufall: random.Random) -> dict[str, object]:
    """Amounts per segment, totals mostly equal to the segments' sum (sometimes off by a euro or more)."""
    werte: dict[str, object] = {}
    for feld in formular.felder_mit(Rolle.EINGABE):
        schluessel = feld.schluessel
        if schluessel.startswith("kopf.") or zufall.random() < 0.3:
            continue
        if feld.pruefung.art == "liste":
            werte[schluessel] = zufall.choice(feld.pruefung.liste)
        elif not schluessel.endswith(".C"):
            werte[schluessel] = zufall.randint(0, 900_000)
    for feld in formular.felder_mit(Rolle.EINGABE):
        if feld.schluessel.endswith(".C") and zufall.random() < 0.8:
            basis = feld.schluessel[:-2]
            werte[feld.schluessel] = sum(int(werte.get(f"{basis}.{s}", 0)) for s in "DEFHI") + zufall.choice(
                [0, 0, 1, 5]
            )
    return werte


def exante_fuellen(formular: Formular, zufall: random.Random) -> dict[str, object]:
    """A base year near break-even (so W − BE_idx changes sign), factors around 1, sometimes a key or factor left
    out (the sheet must then show #NV), a Vorjahr near the result (Deckelung and flag 3.11 both ways), km changes
    around ± 2 % (flag 7.2) and small companies under the Bagatellgrenze."""
    werte: dict[str, object] = {"kopf.unternehmen": "Test-Bus GmbH", "kopf.jahr": zufall.randint(2022, 2027)}
    faktoren = [f for f in formular.felder_mit(Rolle.EINGABE) if f.schluessel.startswith("ea.index.")]
    for feld in faktoren:
        if zufall.random() < 0.97:
            werte[feld.schluessel] = Decimal(zufall.randint(9000, 11500)) / 10000
    schluessel = next(f for f in formular.felder_mit(Rolle.EINGABE) if f.schluessel.endswith(".index")).pruefung.liste
    groesse = zufall.choice([3_000, 60_000, 1_500_000])
    for feld in formular.felder_mit(Rolle.EINGABE):
        s = feld.schluessel
        if s.endswith(".basis") and zufall.random() < 0.8:
            werte[s] = _cent(zufall, groesse) if s.startswith("ea.A") else _cent(zufall, int(groesse * 1.3))
            if zufall.random() < 0.98:
                werte[s[: -len("basis")] + "index"] = zufall.choice(schluessel)
        elif s.endswith(".vergleich") and zufall.random() < 0.2:
            werte[s] = _cent(zufall, groesse)
    rechnerisch = formular.nachrechnen(werte).werte["ea.exante"]
    if isinstance(rechnerisch, Decimal) and rechnerisch > 0 and zufall.random() < 0.5:  # near: 3.11 and 3.12 both ways
        werte["ea.vorjahr"] = (rechnerisch * Decimal(zufall.uniform(0.9, 1.1))).quantize(Decimal("0.01"))
    elif zufall.random() < 0.5:
        werte["ea.vorjahr"] = _cent(zufall, groesse // 4)
    if zufall.random() < 0.7:
        km = zufall.randint(10_000, 2_000_000)
        werte["ea.fplkm"] = km
        if zufall.random() < 0.6:
            werte["ea.fplkm_delta"] = round(km * zufall.uniform(-0.04, 0.04))
    return werte


def expost_fuellen(formular: Formular, zufall: random.Random) -> dict[str, object]:
    """Ist near Soll (bonus and its 5 % cap both ways, flag 3.13 both ways), A_max around the ex ante amount,
    services not run, paid amounts above and below the claim, interest periods across Basiszinssatz changes and
    sometimes beyond the known half-years (#NV)."""
    groesse = zufall.choice([50_000, 400_000, 3_000_000])
    k_soll = _cent(zufall, groesse)
    e_soll = _cent(zufall, groesse) * Decimal(zufall.choice(["0.6", "0.9", "1.0"]))
    werte: dict[str, object] = {
        "kopf.unternehmen": "Test-Bus GmbH", "kopf.jahr": 2024,
        "ep.k_soll": k_soll, "ep.e_soll": e_soll.quantize(Decimal("0.01")),
        "ep.k_ist": (k_soll * Decimal(zufall.uniform(0.85, 1.15))).quantize(Decimal("0.01")),
        "ep.e_ist": (e_soll * Decimal(zufall.uniform(0.85, 1.15))).quantize(Decimal("0.01")),
        "ep.u": _cent(zufall, groesse),
        "ep.exante": _cent(zufall, groesse // 5),
    }  # fmt: skip
    if zufall.random() < 0.5:
        werte["ep.p"] = _cent(zufall, groesse // 20)
    if zufall.random() < 0.5:
        km = zufall.randint(10_000, 1_000_000)
        werte["ep.fplkm_soll"] = km
        werte["ep.fplkm_ausgefallen"] = zufall.randint(0, km // 20) if zufall.random() < 0.95 else km + 1
    if zufall.random() < 0.9:
        werte["ep.gezahlt"] = (werte["ep.exante"] * Decimal(zufall.choice(["0.95", "0.95", "1", "0.5"]))).quantize(
            Decimal("0.01")
        )
        von = datetime.date(2019, 1, 1) + datetime.timedelta(days=zufall.randint(0, 2700))
        werte["ep.von"] = von
        werte["ep.bis"] = von + datetime.timedelta(days=zufall.randint(0, 900))
    return werte


def uebersicht_fuellen(formular: Formular, zufall: random.Random) -> dict[str, object]:
    """A few to fifteen companies; a budget mostly below the claims (Abschmelzung, cent remainders, Unterdeckung
    both ways), sometimes above; equal claims now and then (ties go to the earlier row)."""
    werte: dict[str, object] = {"kopf.jahr": 2025}
    if zufall.random() < 0.05:  # exact half-cent remainders: a float sheet must tie them like Python does
        return {
            **werte,
            "ue.gesamt": Decimal("2000.02"),
            "ue.1.anspruch": Decimal(1000),
            "ue.2.anspruch": Decimal(3000),
        }
    teilnetze = next(f for f in formular.felder_mit(Rolle.EINGABE) if f.schluessel.endswith(".teilnetz"))
    anzahl = zufall.randint(1, 15)
    for i in range(1, anzahl + 1):
        werte[f"ue.{i}.name"] = f"Unternehmen {i}"
        werte[f"ue.{i}.teilnetz"] = zufall.choice(teilnetze.pruefung.liste)
        werte[f"ue.{i}.fplkm"] = zufall.randint(5_000, 900_000)
        if zufall.random() < 0.9:
            werte[f"ue.{i}.anspruch"] = (
                werte[f"ue.{i - 1}.anspruch"] if i > 1 and zufall.random() < 0.1 and f"ue.{i - 1}.anspruch" in werte
                else _cent(zufall, 600_000)
            )  # fmt: skip
    summe = sum((v for k, v in werte.items() if k.endswith(".anspruch")), Decimal(0))
    werte["ue.gesamt"] = (summe * Decimal(zufall.uniform(0.8, 1.05))).quantize(Decimal("0.01"))
    return werte


def fuellung(kennung: str, zufall: random.Random) -> dict[str, object]:
    """A random filling of the form ``kennung``."""
    formular = formulare()[kennung]
    if kennung.startswith("NKF"):
        return nkf_fuellen(formular, zufall)
    besondere = {"OEPNV-TR": trennungsrechnung_fuellen, "OEPNV-EA": exante_fuellen, "OEPNV-EP": expost_fuellen,
                 "OEPNV-UE": uebersicht_fuellen}  # fmt: skip
    if kennung in besondere:
        return besondere[kennung](formular, zufall)
    return ausbaukosten_fuellen(zufall) if kennung == "RZWAS-4" else positionen_fuellen(formular, zufall)


def zufallsfaelle(kennung: str, anzahl: int) -> list[dict[str, object]]:
    """The first ``anzahl`` random fillings of a form (fixed seed: a failure is reproducible; more cases extend the
    same sequence)."""
    zufall = random.Random(f"pyxl-{kennung}")
    return [fuellung(kennung, zufall) for _ in range(anzahl)]
