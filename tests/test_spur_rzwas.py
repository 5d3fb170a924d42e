"""Issue 14, point 4: every RZWas number explained — the steps in the order computed, each with its clause, and
every parameter read with its value, edition and reference. Values computed by hand from the rule text."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pyxl.functions import funktion, spur

KA = "RZWas 2005 Anl. 2b Nr. 2.7"
ZH = "RZWas 2005 Anl. 2a Nr. 3.1, Anl. 2b Nr. 3.1"
VS = "RZWas 2005 Anlagenverzeichnis Fn. 3"
ZUSCHLAG_2B = "RZWas 2005 Anl. 2b Nr. 2.11"


def _schritte(ergebnis) -> list[tuple[str, str, object]]:
    return [(s.klausel, s.text, s.wert) for s in ergebnis.spur.schritte]


def _gelesen(ergebnis) -> dict[str, tuple[object, str, str]]:
    return {g.name: (g.wert, g.ausgabe, g.ref) for g in ergebnis.spur.gelesen}


def test_anl2b_nr2_7_klaeranlage_steps_and_parameters():
    ergebnis = funktion("RZW_KRW_KLAERANLAGE").auswerten(["5000"], erklaeren=True)
    assert ergebnis.wert == D("435.37")
    (k1, t1, roh), (k2, t2, gekappt), (k3, t3, cent), (k4, t4, ende) = _schritte(ergebnis)
    # Anl. 2b Nr. 2.7: KRW_KA = 3.661 · x^−0,25, maximal 1.380 €/EW; x = 5.000 EW
    # 5.000^0,25 = √√5.000 = √70,710678 = 8,408964; 3.661 / 8,408964 = 435,3687 (float, 15 digits, as Excel)
    assert (k1, t1) == (KA, "KRW = a · x^Exponent (vor der Kappung)")
    assert abs(roh - D("435.3687")) < D("0.0001")
    # below the cap 1.380: unchanged
    assert (k2, t2, gekappt) == (KA, "KRW höchstens max (nach der Kappung)", roh)
    # cents half-up: 435,37
    assert (k3, t3, cent) == (KA, "KRW auf Cent gerundet", D("435.37"))
    assert (k4, t4, ende) == (KA, "Ergebnis RZW_KRW_KLAERANLAGE", D("435.37"))
    # each parameter once, in the order read, with value, edition and full reference
    assert _gelesen(ergebnis) == {
        "anl2b.klaeranlage.a": (D(3661), "RZWas 2005", KA),
        "anl2b.klaeranlage.exponent": (D("-0.25"), "RZWas 2005", KA),
        "anl2b.klaeranlage.max": (D(1380), "RZWas 2005", KA),
    }
    assert [g.name for g in ergebnis.spur.gelesen] == [
        "anl2b.klaeranlage.a", "anl2b.klaeranlage.exponent", "anl2b.klaeranlage.max",
    ]  # fmt: skip


def test_anl2b_nr2_7_cap_is_a_step_of_its_own():
    # x = 10 EW: 3.661 / 10^0,25 = 3.661 / 1,778279 = 2.058,73 > 1.380 -> capped to 1.380
    (_, _, roh), (_, _, gekappt), (_, _, cent), _ = _schritte(
        funktion("RZW_KRW_KLAERANLAGE").auswerten(["10"], erklaeren=True)
    )
    assert abs(roh - D("2058.73")) < D("0.01")
    assert gekappt == D(1380) and cent == D("1380.00")


def test_nr3_1_zuwendung_second_branch_with_vertrauensschutz():
    ergebnis = funktion("RZW_ZUWENDUNG").auswerten(["1622136,65", "5304,05", "1"], erklaeren=True)
    schritte = _schritte(ergebnis)
    # Nr. 3.1: AK = 5.304,05 ≥ 4.090 -> ZH = 98,333 − 173.839 / AK
    #          173.839 / 5.304,05 = 32,774766; 98,333 − 32,774766 = 65,558234 (not above 70), rounded 65,56
    # Fn. 3: Vertrauensschutzprogramm I −15 Prozentpunkte -> 50,56
    # Zuwendung = 1.622.136,65 × 50,56 / 100 = 820.152,29024 -> 820.152,29
    assert schritte[0] == (ZH, "Zweig", "zweite Formel: AK ab der Grenze")
    assert schritte[1][:2] == (ZH, "ZH = a2 − b2 / AK, ungerundet")
    assert abs(schritte[1][2] - D("65.558234")) < D("0.000001")
    assert schritte[2] == (ZH, "ZH höchstens max", schritte[1][2])
    assert schritte[3:] == [
        (ZH, "ZH gerundet", D("65.56")),
        (VS, "Abzug Vertrauensschutz in Prozentpunkten", D(15)),
        (ZH, "ZH nach Abzug, nicht unter 0", D("50.56")),
        (ZH, "Zuwendung = zwf. Kosten × ZH / 100", D("820152.29024")),
        (ZH, "Zuwendung auf Cent gerundet", D("820152.29")),
        (ZH, "Ergebnis RZW_ZUWENDUNG", D("820152.29")),
    ]
    assert ergebnis.wert == D("820152.29")
    gelesen = _gelesen(ergebnis)
    assert gelesen["vertrauensschutz.abzug"] == ((D(0), D(15), D(30)), "RZWas 2005", VS)
    assert gelesen["zuwendungssatz.foerderschwelle"] == (D(1278), "RZWas 2005", ZH)
    assert gelesen["zuwendungssatz.grenze"] == (D(4090), "RZWas 2005", ZH)
    assert gelesen["zuwendungssatz.a2"] == (D("98.333"), "RZWas 2005", ZH)
    assert gelesen["zuwendungssatz.b2"] == (D(173839), "RZWas 2005", ZH)
    assert gelesen["zuwendungssatz.max"] == (D(70), "RZWas 2005", ZH)
    assert "zuwendungssatz.a1" not in gelesen  # the first formula was not used


def test_nr3_1_first_branch_and_foerderschwelle():
    # AK = 2.000 < 4.090: ZH = 76,666 − 85.215,31 / 2.000 = 76,666 − 42,607655 = 34,058345 -> 34,06
    schritte = _schritte(funktion("RZW_ZUWENDUNGSSATZ").auswerten(["2000"], erklaeren=True))
    assert schritte[0] == (ZH, "Zweig", "erste Formel: AK ab der Förderschwelle, unter der Grenze")
    assert schritte[1] == (ZH, "ZH = a1 − b1 / AK, ungerundet", D("34.058345"))
    assert schritte[2] == (ZH, "ZH gerundet", D("34.06"))
    # AK = 1.000 < 1.278 (Förderschwelle): ZH = 0
    schritte = _schritte(funktion("RZW_ZUWENDUNGSSATZ").auswerten(["1000"], erklaeren=True))
    assert schritte[0] == (ZH, "Zweig", "Förderschwelle: AK unter der Schwelle, ZH = 0")
    assert schritte[-1] == (ZH, "Ergebnis RZW_ZUWENDUNGSSATZ", D("0.00"))


def test_nr1_1_kostenpauschale_and_nr2_11_zuschlag_and_anlage4_ak():
    kp = "RZWas 2005 Anl. 2a Nr. 1.1, Anl. 2b Nr. 1.1"
    # Nr. 1.1: KP = 547,45 €/EW × 2.000 EW = 1.094.900,00
    assert _schritte(funktion("RZW_KOSTENPAUSCHALE").auswerten(["547,45", "2000"], erklaeren=True))[:2] == [
        (kp, "KP = KRW × Menge", D("1094900.00")),
        (kp, "KP auf Cent gerundet", D("1094900.00")),
    ]
    # Anl. 2b Nr. 2.11: sum 1.474.669,68 ≤ 5 Mio -> 10 %; 3 further offices: 3 × 1,5 = 4,5, at most 3,0 -> 13,0 %;
    # 1.474.669,68 × 13,0 / 100 = 191.707,0584 -> 191.707,06
    ergebnis = funktion("RZW_INGENIEURZUSCHLAG").auswerten(["1474669,68", "3", "abwasser"], erklaeren=True)
    assert _schritte(ergebnis)[:5] == [
        (ZUSCHLAG_2B, "Grundsatz (Summe bis zur Schwelle) in %", D(10)),
        (ZUSCHLAG_2B, "Zusatz für weitere Büros in Prozentpunkten (höchstens der Höchstzusatz)", D("3.0")),
        (ZUSCHLAG_2B, "Zuschlagssatz in %", D("13.0")),
        (ZUSCHLAG_2B, "Zuschlag = Summe × Satz / 100", D("191707.0584")),
        (ZUSCHLAG_2B, "Zuschlag auf Cent gerundet", D("191707.06")),
    ]
    assert _gelesen(ergebnis)["anl2b.ingenieurzuschlag.satz"] == (D(10), "RZWas 2005", ZUSCHLAG_2B)
    # Anlage 4: AK = 7.850.000 / 1.480 = 5.304,054054 -> 5.304,05
    ak = "RZWas 2005 Anl. 2a Nr. 1.4, Anl. 2b Nr. 1.2, Anlage 4"
    (k1, t1, roh), (k2, t2, cent), _ = _schritte(
        funktion("RZW_AUSBAUKOSTEN").auswerten(["7850000", "1480"], erklaeren=True)
    )
    assert (k1, t1, k2, t2, cent) == (ak, "AK = Investitionskosten / Anteile", ak, "AK auf Cent gerundet", D("5304.05"))
    assert abs(roh - D("5304.054054")) < D("0.000001")


def test_anl2b_nr2_9_1_nachruestung_cites_each_clause():
    # biologische Stufe 1970 < 1977: Nr. 2.9.1 = 50 % of the KRW of Nr. 2.7 (cent-rounded first)
    # 3.661 · 2.000^−0,25 = 3.661 / 6,687403 = 547,4472 -> 547,45; × 0,5 = 273,725 -> 273,73
    schritte = _schritte(funktion("RZW_KRW_NACHRUESTUNG").auswerten(["2000", "1970"], erklaeren=True))
    klauseln = [k for k, _, _ in schritte]
    assert klauseln[0] == "RZWas 2005 Anl. 2b Nr. 2.9"
    assert klauseln[1:4] == [KA] * 3
    assert schritte[3][2] == D("547.45")
    assert schritte[4:6] == [
        ("RZWas 2005 Anl. 2b Nr. 2.9.1", "Anteil × KRW Kläranlage (dieser auf Cent gerundet)", D("273.725")),
        ("RZWas 2005 Anl. 2b Nr. 2.9.1", "KRW auf Cent gerundet", D("273.73")),
    ]


@pytest.mark.parametrize(
    ("name", "werte"),
    [
        ("RZW_KRW_KLAERANLAGE", ["5000"]),
        ("RZW_ZUWENDUNG", ["1622136,65", "5304,05", "1"]),
        ("RZW_INGENIEURZUSCHLAG", ["1474669,68", "3", "abwasser"]),
        ("RZW_KRW_GEBAEUDE", ["7000"]),
        ("RZW_KRW_FREISPIEGELLEITUNG", ["", "0,5"]),
    ],
)
def test_every_step_has_a_clause_and_without_erklaeren_nothing_is_recorded(monkeypatch, name, werte):
    erklaert = funktion(name).auswerten(werte, erklaeren=True)
    assert erklaert.spur.schritte and all(s.klausel.startswith("RZWas 2005 ") for s in erklaert.spur.schritte)
    assert all(g.ausgabe == "RZWas 2005" and g.ref for g in erklaert.spur.gelesen)

    def verboten(*_: object) -> None:
        raise AssertionError("ohne erklaeren darf nichts aufgezeichnet werden")

    monkeypatch.setattr(spur.Spur, "schritt", verboten)
    monkeypatch.setattr(spur.Spur, "lesen", verboten)
    schlicht = funktion(name).auswerten(werte)
    assert schlicht.wert == erklaert.wert
    assert [str(h) for h in schlicht.hinweise] == [str(h) for h in erklaert.hinweise]
    assert schlicht.spur is None and spur.aktiv() is None


def test_anl2b_nr2_2_nennweiten_are_whole_numbers_in_plain_digits():
    # Nr. 2.2: DN 280 is not listed; the next larger listed DN 300 costs 245 €/m
    ergebnis = funktion("RZW_KRW_FREISPIEGELLEITUNG").auswerten(["280", ""], erklaeren=True)
    assert ergebnis.wert == D("245.00")
    erste, *_ = ergebnis.spur.als_json()["trace"]
    assert (erste["value"], erste["kind"]) == ("300", "ganzzahl")
    parameter = {p["name"]: p for p in ergebnis.spur.als_json()["parameters"]}
    dn = parameter["anl2b.freispiegelleitung.dn"]
    assert dn["kind"] == "liste" and set(dn["kinds"]) == {"ganzzahl"} and "1000" in dn["value"]
    zeilen = ergebnis.spur.zeilen()
    assert zeilen[1] == (
        "   1. Tabellenstufe: gelistete Nennweite DN (gleich oder nächstgrößer) = 300  [RZWas 2005 Anl. 2b Nr. 2.2]"
    )
    assert any(z.startswith("  - anl2b.freispiegelleitung.dn = 200; 250; 300; 400;") and "; 1000; 1100; 1200  [" in z
               for z in zeilen)  # fmt: skip
    # Fn. 3: the Vertrauensschutz deductions are Decimals (percentage points): numbers, shown German
    zuwendung = funktion("RZW_ZUWENDUNG").auswerten(["1622136,65", "5304,05", "1"], erklaeren=True).spur
    (abzug,) = [p for p in zuwendung.als_json()["parameters"] if p["name"] == "vertrauensschutz.abzug"]
    assert (abzug["value"], abzug["kinds"], spur.anzeige(abzug)) == (["0", "15", "30"], ["zahl"] * 3, "0; 15; 30")
