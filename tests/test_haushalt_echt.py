"""`pyxl haushalt pruefen` on real published budget tables (Issue 13): tests/daten/haushalt_echt/.

Every expected figure below is worked out by hand from the table itself (the arithmetic is in the comments), never
copied from the program's output. Each real table is also checked with ONE changed part (never a sum): exactly one
error, at the sum that contains the part, in the right product, row and column (and cell where the input has cells).
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pyxl.haushalt.datei import pruefe_haushaltsdatei
from pyxl.haushalt.raster import lies_raster
from pyxl.validators.befund import Bericht, Schwere, Status

ECHT = Path(__file__).parent / "daten" / "haushalt_echt"
WURZEL = Path(__file__).parent.parent
PB01_TEP = ECHT / "muenster_pb01" / "band1_p016_PB01_InnereVerwaltung_Teilergebnisplan_t0.csv"
PB01_TFP = ECHT / "muenster_pb01" / "band1_p017_PB01_InnereVerwaltung_Teilfinanzplan_t0.csv"
PG0102 = ECHT / "muenster_pg0102"
PG0102_TEP = next(PG0102.glob("*_Teilergebnisplan_t0.csv"))
PG0102_TFP = next(PG0102.glob("*_Teilfinanzplan_t0.csv"))
GESAMT = ECHT / "muenster_gesamt"
EP1, EP2 = GESAMT / "band1_p009_PG12_Ergebnisplan_t0.csv", GESAMT / "band1_p010_PG12_Ergebnisplan_t0.csv"
FP1, FP2 = GESAMT / "band1_p011_PG12_Finanzplan_t0.csv", GESAMT / "band1_p012_PG12_Finanzplan_t0.csv"
OB_EP = ECHT / "ostbevern_long" / "ergebnisplan_auszug_GESAMT26-33_PB08_PB09.csv"
OB_FP = ECHT / "ostbevern_long" / "finanzplan_auszug_GESAMT01-09.csv"
LENSAHN = ECHT / "lensahn_sh" / "ergebnisrechnung_2024.csv"
ZEITREIHE = ECHT / "lensahn_sh" / "gesamt_haushaltsplanung_zeitreihe.csv"
SCHNELL = 5.0  # seconds: a hang guard, not a benchmark

# the one error of Ostbevern's print (PB 08 Sportförderung, PDF p. 203): row 17 Ergebnis 2024
# = 11 + 13 + 14 + 15 + 16 = 11.654 + 92.684 + 60.162 + 20.136 + 1.865 = 186.501, printed 186.499 (line 104, col K)
OSTBEVERN_2_EURO = ("PB 08", "17", "Ergebnis 2024", "186.501", "186.499", "K104")


# ---------------------------------------------------------------------------------------------------- helpers


def fehler(bericht: Bericht) -> list:
    return [b for b in bericht.befunde if b.schwere is Schwere.FEHLER]


def stelle(befund) -> tuple:
    return (befund.produkt, befund.zeile, befund.spalte, befund.erwartet, befund.gefunden, befund.zelle)


def regeln(bericht: Bericht, regel: str) -> list:
    return [b for b in bericht.befunde if b.regel == regel]


def zeilen_von(pfad: Path) -> tuple[list[list[str]], str]:
    """The CSV's rows as lists of text and its line end, read without the program."""
    text = pfad.read_bytes().decode("utf-8")
    ende = "\r\n" if "\r\n" in text else "\n"
    return list(csv.reader(io.StringIO(text, newline=""))), ende


def schreibe_csv(zeilen: list[list[str]], ziel: Path, ende: str = "\r\n", trenner: str = ",",
                 kodierung: str = "utf-8") -> Path:  # fmt: skip
    puffer = io.StringIO(newline="")
    csv.writer(puffer, delimiter=trenner, lineterminator=ende).writerows(zeilen)
    ziel.write_bytes(puffer.getvalue().encode(kodierung))
    return ziel


def geaendert(pfad: Path, ziel_dir: Path, zeile: int, spalte: int, alt: str, neu: str) -> Path:
    """A copy of the CSV with the cell at file line ``zeile`` (from 1), column ``spalte`` (from 0) changed."""
    zeilen, ende = zeilen_von(pfad)
    assert zeilen[zeile - 1][spalte] == alt, zeilen[zeile - 1]
    zeilen[zeile - 1][spalte] = neu
    return schreibe_csv(zeilen, ziel_dir / pfad.name, ende)


_DEUTSCH = re.compile(r"(-?)([0-9]{1,3}(?:\.[0-9]{3})*|[0-9]+)(?:,([0-9]+))?(-?)")


def als_zahl(text: str) -> object:
    """A German amount ("13.054.244,47-") as a number, as a sheet holds it; other text unchanged."""
    treffer = _DEUTSCH.fullmatch(text)
    if not treffer:
        return text
    vorne, ganz, bruch, hinten = treffer.groups()
    wert = Decimal(ganz.replace(".", "") + ("." + bruch if bruch else ""))
    wert = -wert if (vorne or hinten) else wert
    return int(wert) if wert == int(wert) else float(wert)


def schreibe_xlsx(zeilen: list[list[str]], ziel: Path, zahlen: bool) -> Path:
    mappe = openpyxl.Workbook()
    blatt = mappe.active
    blatt.title = "TFP"
    for zeile in zeilen:
        blatt.append([(als_zahl(w) if zahlen else w) if w != "" else None for w in zeile])
    mappe.save(ziel)
    return ziel


def csv_raster(pfad: Path) -> list[dict[int, object]]:
    zeilen, _ = zeilen_von(pfad)
    return [{c: w for c, w in enumerate(z) if w.strip()} for z in zeilen]


# ----------------------------------------------------------------------- every real table: as published


@pytest.mark.parametrize(
    ("pfad", "schema"),
    [
        (PB01_TEP, "Teilergebnisplan"),
        (PB01_TFP, "Teilfinanzplan (Investitionstätigkeit, Zeilen 01–14)"),
        (PG0102_TEP, "Teilergebnisplan"),
        (PG0102_TFP, "Teilfinanzplan (Investitionstätigkeit, Zeilen 01–14)"),
        (EP1, "Gesamtergebnisplan (mit globalem Minderaufwand)"),
        (EP2, "Gesamtergebnisplan (mit globalem Minderaufwand)"),
        (FP1, "Gesamtfinanzplan"),
        (FP2, "Gesamtfinanzplan"),
        (OB_FP, "Gesamtfinanzplan"),
        (LENSAHN, "Ergebnisplan (Schleswig-Holstein)"),
        (ZEITREIHE, "Ergebnisplan (Schleswig-Holstein)"),
    ],
    ids=lambda p: p.name[:28] if isinstance(p, Path) else "",
)
def test_echte_tabelle_ohne_fehler_und_schema_benannt(pfad: Path, schema: str) -> None:
    bericht = pruefe_haushaltsdatei(pfad)
    assert bericht.status is Status.GEPRUEFT
    assert fehler(bericht) == []
    erkannt = regeln(bericht, "schema_erkannt")
    assert erkannt and all(f"Schema: {schema}," in b.meldung for b in erkannt), [b.meldung for b in erkannt]


def test_muenster_gesamtfinanzplan_rundungsdifferenzen_als_hinweis() -> None:
    # p012, Haushaltsansatz 2025 (column D): 37 = 33 + 34 − 35 − 36 = 581.633.840 + 787.061.668 − 66.587.000 −
    # 653.164.805 = 648.943.703, printed 648.943.704 (1 €); 38 = 32 + 37 = −565.897.519 + 648.943.704 = 83.046.185,
    # printed 83.046.184 (1 €). Up to 1 € is a Rundungsdifferenz: Hinweis, not Fehler.
    bericht = pruefe_haushaltsdatei(FP2)
    rundung = {(b.zeile, b.spalte, b.zelle) for b in regeln(bericht, "rundungsdifferenz")}
    assert rundung == {("37", "Haushaltsansatz 2025", "D8"), ("38", "Haushaltsansatz 2025", "D9")}
    assert all(b.schwere is Schwere.HINWEIS for b in regeln(bericht, "rundungsdifferenz"))
    d9 = next(b for b in regeln(bericht, "rundungsdifferenz") if b.zeile == "38")
    assert (d9.erwartet, d9.gefunden) == ("83.046.185", "83.046.184")


# ------------------------------------------------------------- every real table: one changed part, one error


EINE_AENDERUNG = [
    # Münster PB 01 TEP, row 13 Haushaltsansatz 2026 (line 15, col E) 71.381.160 → 71.381.260 (+100).
    # Row 17 = 11..16 = 71.707.140 + 8.019.270 + 71.381.160 + 27.192.750 + 2.540.540 + 38.403.000 = 219.243.860
    # (as printed); with the change 219.243.960. Row 18 = 10 − 17 uses the printed 17: nothing else.
    (
        PB01_TEP,
        15,
        4,
        "71.381.160",
        "71.381.260",
        ("PB 01", "17", "Haushaltsansatz 2026", "219.243.960", "219.243.860", "E19"),
    ),
    # Münster PB 01 TFP, row 09 Verpfl.-Erm. 2026 (line 11, col G) 800.000 → 900.000.
    # Row 13 VE 2026 = 07..12 = 14.000.000 + 79.737.470 + 800.000 + 0 + 0 + 200.000 = 94.737.470 (printed);
    # now 94.837.470. Row 14's VE cell is blank: nothing else.
    (PB01_TFP, 11, 6, "800.000", "900.000", ("PB 01", "13", "Verpfl.-Erm. 2026", "94.837.470", "94.737.470", "G15")),
    # Münster PG 01 02 TEP, row 12 Haushaltsansatz 2026 (line 14, col E) 224.780 → 224.880.
    # Row 17 = 1.599.300 + 224.780 + 50.000 + 11.220 + 110.440 + 3.866.390 = 5.862.130; now 5.862.230.
    (
        PG0102_TEP,
        14,
        4,
        "224.780",
        "224.880",
        ("PG 0102", "17", "Haushaltsansatz 2026", "5.862.230", "5.862.130", "E19"),
    ),
    # Münster PG 01 02 TFP, row 09 Haushaltsansatz 2027 (line 11, col F) 2.000 → 3.000.
    # Row 13 = 0 + 0 + 2.000 + 0 + 0 + 0 = 2.000; now 3.000 (row 14 = 06 − 13 uses the printed 13).
    (PG0102_TFP, 11, 5, "2.000", "3.000", ("PG 0102", "13", "Haushaltsansatz 2027", "3.000", "2.000", "F15")),
    # Münster Gesamtergebnisplan p009 (product "PG 12" is the extractor's file name), row 27 globaler
    # Minderaufwand Haushaltsansatz 2025 (line 29, col D) 180.000 → 190.000. Row 28 = 26 + 27 (printed positive,
    # added): −47.275.529 + 180.000 = −47.095.529 (printed "47.095.529-"); now −47.275.529 + 190.000 = −47.085.529.
    (EP1, 29, 3, "180.000", "190.000", ("PG 12", "28", "Haushaltsansatz 2025", "-47.085.529", "-47.095.529", "D30")),
    # p010 (nachrichtlich), row 31 Ergebnis 2024 (line 7, col C) 2.036.900,18 → 2.036.910,18.
    # Row 33 = 29 + 30 − 31 − 32 = 2.193.762,38 + 1.920.492,92 − 2.036.900,18 − 1.792.225,48 = 285.129,64
    # (printed); now 285.119,64.
    (EP2, 7, 2, "2.036.900,18", "2.036.910,18", ("PG 12", "33", "Ergebnis 2024", "285.119,64", "285.129,64", "C9")),
    # Münster Gesamtfinanzplan p011, row 19 Haushaltsansatz 2026 (line 21, col E) 590.120 → 590.220.
    # Row 23 = 18..22 = 109.056.350 + 590.120 + 18.330.710 + 4.195.020 + 4.200.000 = 136.372.200; now 136.372.300.
    (FP1, 21, 4, "590.120", "590.220", ("PG 12", "23", "Haushaltsansatz 2026", "136.372.300", "136.372.200", "E25")),
    # p012, row 39 Anfangsbestand Haushaltsansatz 2026 (line 10, col E) 125.389.035 → 125.389.135.
    # Row 41 = 38 + 39 + 40 = −125.389.035 + 125.389.035 + 0 = 0 (printed); now 100.
    (FP2, 10, 4, "125.389.035", "125.389.135", ("PG 12", "41", "Haushaltsansatz 2026", "100", "0", "E12")),
    # Ostbevern Gesamtfinanzplan (long), row 05 ansatz 2026 (line 32, col K) 389800 → 389900.
    # Row 09 = 18.443.000 + 2.217.800 + 0 + 1.927.222 + 389.800 + 762.070 + 503.300 + 460.000 = 24.703.192
    # (printed, line 60); now 24.703.292.
    (OB_FP, 32, 10, "389800", "389900", ("Gesamt", "09", "Ansatz 2026", "24.703.292", "24.703.192", "K60")),
    # Lensahn Ergebnisrechnung 2024, row 19 Finanzerträge Ist (line 20, col F) 62.771,47 → 62.871,47.
    # Row 21 = 19 + 20 (20 printed negative, added) = 62.771,47 + (−20.382,44) = 42.389,03 (printed); now 42.489,03.
    (
        LENSAHN,
        20,
        5,
        "62.771,47",
        "62.871,47",
        (None, "21", "Ist-Ergebnis des Haushaltsjahres", "42.489,03", "42.389,03", "F22"),
    ),
    # Lensahn Zeitreihe, row 13 Plan 2021 (line 14, col F) 1.199.934,61 → 1.199.944,61.
    # Row 17 = 3.947.000 + 29.900 + 1.199.934,61 + 454.900 + 4.311.300 + 1.102.300 = 11.045.334,61; now …344,61.
    (
        ZEITREIHE,
        14,
        5,
        "1.199.934,61",
        "1.199.944,61",
        (None, "17", "Plan 2021", "11.045.344,61", "11.045.334,61", "F18"),
    ),
]


@pytest.mark.parametrize(("pfad", "zeile", "spalte", "alt", "neu", "erwartet"), EINE_AENDERUNG,
                         ids=lambda p: p.name[:28] if isinstance(p, Path) else None)  # fmt: skip
def test_eine_geaenderte_zahl_ein_fehler(
    tmp_path: Path, pfad: Path, zeile: int, spalte: int, alt: str, neu: str, erwartet: tuple
) -> None:
    assert fehler(pruefe_haushaltsdatei(pfad)) == []  # the table as published is consistent
    bericht = pruefe_haushaltsdatei(geaendert(pfad, tmp_path, zeile, spalte, alt, neu))
    gefunden = fehler(bericht)
    assert [stelle(b) for b in gefunden] == [erwartet]
    assert gefunden[0].regel == "summe_falsch"


def test_ostbevern_eine_aenderung_neben_dem_echten_fehler(tmp_path: Path) -> None:
    # PB 09 row 13 ansatz 2025 (line 135) 81750 → 81850. Row 17 = 11 + 13 + 14 + 16 = 172.300 + 81.750 + 0 + 20.000
    # = 274.050 (printed, line 153); now 274.150. The real 2 € error stays, nothing else.
    bericht = pruefe_haushaltsdatei(geaendert(OB_EP, tmp_path, 135, 10, "81750", "81850"))
    assert sorted(stelle(b) for b in fehler(bericht)) == sorted(
        [OSTBEVERN_2_EURO, ("PB 09", "17", "Ansatz 2025", "274.150", "274.050", "K153")]
    )


# ----------------------------------------------------- 1. two header rows, and the same table in other forms


def _formen(tmp_path: Path, zeilen: list[list[str]]) -> dict[str, Path]:
    return {
        "csv_komma_crlf": schreibe_csv(zeilen, tmp_path / "komma.csv"),
        "csv_semikolon_cp1252": schreibe_csv(zeilen, tmp_path / "semikolon.csv", trenner=";", kodierung="cp1252"),
        "csv_utf8_bom": schreibe_csv(zeilen, tmp_path / "bom.csv", kodierung="utf-8-sig"),
        "xlsx_zahlen": schreibe_xlsx(zeilen, tmp_path / "zahlen.xlsx", zahlen=True),
        "xlsx_text": schreibe_xlsx(zeilen, tmp_path / "text.xlsx", zahlen=False),
    }


FORMEN = ["csv_komma_crlf", "csv_semikolon_cp1252", "csv_utf8_bom", "xlsx_zahlen", "xlsx_text"]


def test_muenster_wie_veroeffentlicht_komma_crlf() -> None:
    roh = PB01_TFP.read_bytes()
    assert b"\r\n" in roh and not roh.startswith(b"\xef\xbb\xbf")  # the published file as is
    tabellen, _ = lies_raster(csv_raster(PB01_TFP), quelle=PB01_TFP.stem)
    assert [t.spalten for t in tabellen] == [
        ["Ergebnis 2024", "Haushaltsansatz 2025", "Haushaltsansatz 2026", "Haushaltsansatz 2027",
         "Verpfl.-Erm. 2026", "Verpfl.-Erm. 2027", "Planung 2028", "Planung 2029", "Planung 2030"]
    ]  # fmt: skip
    assert tabellen[0].arten == ["ergebnis", "ansatz", "ansatz", "ansatz", "ve", "ve", "plan", "plan", "plan"]


@pytest.mark.parametrize("form", FORMEN)
def test_zwei_kopfzeilen_in_jeder_form(tmp_path: Path, form: str) -> None:
    zeilen, _ = zeilen_von(PB01_TFP)
    pfad = _formen(tmp_path, zeilen)[form]
    bericht = pruefe_haushaltsdatei(pfad)
    assert bericht.status is Status.GEPRUEFT
    assert fehler(bericht) == []
    assert "Teilfinanzplan (Investitionstätigkeit" in regeln(bericht, "schema_erkannt")[0].meldung
    # The columns by name: one changed VE value and one changed Ansatz value of row 09 (line 11), each caught in
    # its own column at row 13 (Haushaltsansatz 2026: 12.700.000 + 57.314.950 + 2.432.100 + 0 + 4.848.470 +
    # 550.000 = 77.845.520, +1.000 → 77.846.520; VE 2026: 94.737.470 as above, +100.000 → 94.837.470).
    zeilen[10][4], zeilen[10][6] = "2.433.100", "900.000"
    neu = tmp_path / "neu"
    neu.mkdir()
    bericht = pruefe_haushaltsdatei(_formen(neu, zeilen)[form])
    assert sorted((b.zeile, b.spalte, b.erwartet, b.gefunden, b.zelle) for b in fehler(bericht)) == [
        ("13", "Haushaltsansatz 2026", "77.846.520", "77.845.520", "E15"),
        ("13", "Verpfl.-Erm. 2026", "94.837.470", "94.737.470", "G15"),
    ]


# --------------------------------------------------------------------------------------- 2. column words


def test_spaltenwoerter_lensahn() -> None:
    tabellen, _ = lies_raster(csv_raster(LENSAHN))
    assert tabellen[0].spalten == [
        "Ergebnis des Vorjahres", "Fortgeschriebener Ansatz des Haushaltsjahres", "Ist-Ergebnis des Haushaltsjahres",
        "Vergleich Ansatz/Ist", "Übertragene Ermächtigungen",
    ]  # fmt: skip
    assert tabellen[0].arten == ["ergebnis", "ansatz", "ergebnis", "vergleich", "uebertragen"]
    zeitreihe, _ = lies_raster(csv_raster(ZEITREIHE))
    assert zeitreihe[0].spalten == [f"Plan {j}" for j in range(2019, 2025)]


def test_uebertragene_ermaechtigungen_eigene_spalte(tmp_path: Path) -> None:
    # Lensahn row 13 Übertragene Ermächtigungen (line 14, col H) 85.825,15 → 85.835,15. Row 17 = 11..16 =
    # 0 + 0 + 85.825,15 + 0 + 169.203,00 + 40.000,00 = 295.028,15 (printed); now 295.038,15. Row 18 = 10 + 17 has
    # "-" for 10 (blank, derived from nothing) and uses the printed 17: nothing else.
    bericht = pruefe_haushaltsdatei(geaendert(LENSAHN, tmp_path, 14, 7, "85.825,15", "85.835,15"))
    assert [stelle(b) for b in fehler(bericht)] == [
        (None, "17", "Übertragene Ermächtigungen", "295.038,15", "295.028,15", "H18")
    ]


def test_vergleichsspalte_stimmt_nicht_ab() -> None:
    # "Vergleich Ansatz/Ist" = Ansatz − Ist; its signs (row 13: 883.546,04 positive, row 11: 860.282,58- negative)
    # say nothing about the row's: the convention note names only row 20 as printed otherwise.
    bericht = pruefe_haushaltsdatei(LENSAHN)
    (note,) = regeln(bericht, "vorzeichenkonvention")
    assert note.meldung.endswith("abweichend negativ gedruckt und addiert: Zeile 20")


# ------------------------------------------------------------------ 3. two columns with the same year


def test_gleiches_jahr_ansatz_und_ve_getrennt(tmp_path: Path) -> None:
    # PB 01 TFP row 12 Verpfl.-Erm. 2026 (line 14, col G) 200.000 → 250.000: row 13 VE 2026 = 14.000.000 +
    # 79.737.470 + 800.000 + 0 + 0 + 250.000 = 94.787.470 vs printed 94.737.470. Haushaltsansatz 2026 (col E) of
    # row 12 is 550.000 and untouched: no error there.
    bericht = pruefe_haushaltsdatei(geaendert(PB01_TFP, tmp_path, 14, 6, "200.000", "250.000"))
    assert [stelle(b) for b in fehler(bericht)] == [
        ("PB 01", "13", "Verpfl.-Erm. 2026", "94.787.470", "94.737.470", "G15")
    ]


def test_gleiches_jahr_im_langformat(tmp_path: Path) -> None:
    # Ostbevern Finanzplan row 04 "2026,ve" (line 26) 0 → 500; row 09 VE 2026 = 0 + … + 500 + … = 500, printed 0
    # (line 61). "2026,ansatz" of row 09 (1.927.222 in row 04) untouched.
    bericht = pruefe_haushaltsdatei(geaendert(OB_FP, tmp_path, 26, 10, "0", "500"))
    assert [stelle(b) for b in fehler(bericht)] == [("Gesamt", "09", "VE 2026", "500", "0", "K61")]


# ------------------------------------------------------------------------------------------- 4. titles


def test_titel_gesamtplaene_und_zusammengezogen() -> None:
    for pfad, titel, schema in [
        (EP1, "Ergebnisplan", "Gesamtergebnisplan (mit globalem Minderaufwand)"),
        (FP1, "Finanzplan", "Gesamtfinanzplan"),
        (PB01_TFP, "Teilfinanzplan", "Teilfinanzplan (Investitionstätigkeit, Zeilen 01–14)"),
    ]:
        tabellen, _ = lies_raster(csv_raster(pfad), quelle=pfad.stem)
        assert [t.plan for t in tabellen] == [titel]
        bericht = pruefe_haushaltsdatei(pfad)
        (erkannt,) = regeln(bericht, "schema_erkannt")
        assert erkannt.meldung.startswith(f"Schema: {schema}, Nordrhein-Westfalen")
        assert erkannt.plan == schema


# ----------------------------------------------------------------- 5. long format, the real 2 € error


def test_ostbevern_echter_druckfehler_genau() -> None:
    bericht = pruefe_haushaltsdatei(OB_EP)
    (einziger,) = fehler(bericht)
    assert stelle(einziger) == OSTBEVERN_2_EURO
    assert einziger.regel == "summe_falsch"
    assert einziger.bezeichnung == "Ordentliche Aufwendungen"


# -------------------------------------------------------------------------------- 6. rows not printed


def test_ostbevern_pb09_fehlende_zeilen_abgeleitet(tmp_path: Path) -> None:
    bericht = pruefe_haushaltsdatei(OB_EP)
    fehlt = [b.meldung for b in regeln(bericht, "zeile_fehlt") if b.produkt == "PB 09"]
    assert len(fehlt) == 1 and "18–29" in fehlt[0]
    # 31 = 29 − 30 with 29 = 26 = 22 = 18 = 10 − 17 derived: Ansatz 2025: 600 − 274.050 = −273.450;
    # 30 = −16.000 printed, a Minderaufwand improves the result: −273.450 + 16.000 = −257.450 = printed. No error.
    assert [b for b in fehler(bericht) if b.produkt == "PB 09"] == []
    # Change the part 30, Ansatz 2026 (line 160) −10000 → −20000: 29 = 0 − 133.250 = −133.250;
    # 31 = −133.250 + 20.000 = −113.250, printed −123.250 (line 166).
    bericht = pruefe_haushaltsdatei(geaendert(OB_EP, tmp_path, 160, 10, "-10000", "-20000"))
    assert sorted(stelle(b) for b in fehler(bericht)) == sorted(
        [OSTBEVERN_2_EURO, ("PB 09", "31", "Ansatz 2026", "-113.250", "-123.250", "K166")]
    )


# -------------------------------------------------------------------------------- 7. rows past the Muster


def test_minderaufwand_muenster_positiv_addiert() -> None:
    # 28 = 26 + 27: Haushaltsansatz 2025 −47.275.529 + 180.000 = −47.095.529; Planung 2028 −33.646.220 +
    # 7.000.000 = −26.646.220; 2029 −26.912.140 + 8.000.000 = −18.912.140; 2030 −46.009.290 + 9.000.000 =
    # −37.009.290 — all as printed. Read as "26 − 27" they would be 4 errors.
    bericht = pruefe_haushaltsdatei(EP1)
    assert fehler(bericht) == []
    (note,) = regeln(bericht, "vorzeichenkonvention")
    assert "Zeile 27 (Minderaufwand) positiv gedruckt, verbessert das Ergebnis" in note.meldung


def test_minderaufwand_ostbevern_negativ_abgezogen(tmp_path: Path) -> None:
    # GESAMT 28 = 26 − 27: Ansatz 2025 −1.896.120 − (−564.600) = −1.331.520 (printed). No error in GESAMT.
    bericht = pruefe_haushaltsdatei(OB_EP)
    assert [b for b in fehler(bericht) if b.produkt == "Gesamt"] == []
    (note,) = [b for b in regeln(bericht, "vorzeichenkonvention") if b.produkt == "Gesamt"]
    assert "Zeile 27 (Minderaufwand) negativ gedruckt, verbessert das Ergebnis" in note.meldung
    # 27, Ansatz 2026 (line 10) −600000 → −700000: 28 = −2.953.506 + 700.000 = −2.253.506, printed −2.353.506.
    bericht = pruefe_haushaltsdatei(geaendert(OB_EP, tmp_path, 10, 10, "-600000", "-700000"))
    assert sorted(stelle(b) for b in fehler(bericht)) == sorted(
        [OSTBEVERN_2_EURO, ("Gesamt", "28", "Ansatz 2026", "-2.253.506", "-2.353.506", "K16")]
    )


def test_nachrichtlich_ostbevern_saldo_mit_eigenem_vorzeichen() -> None:
    # 33 = −(29 + 30 + 31 + 32): Ergebnis 2024 −(0 + 0 − 6.328 + 0) = 6.328, printed 6.328; Ansatz 2026
    # −(−476.327) = 476.327, printed 476.327. Münster prints its 33 as 29 + 30 − 31 − 32 (= 285.129,64, above).
    bericht = pruefe_haushaltsdatei(OB_EP)
    assert [b.zeile for b in fehler(bericht) if b.produkt == "Gesamt"] == []


# -------------------------------------------------------------------- 8. investment-only TFP 01–14


@pytest.mark.parametrize("pfad", [PB01_TFP, PG0102_TFP], ids=["PB01", "PG0102"])
def test_investiver_tfp_mit_sammelbezeichnung(pfad: Path) -> None:
    bericht = pruefe_haushaltsdatei(pfad)
    assert regeln(bericht, "zeile_fehlt") == []  # row 01 is there (under the block label), and 02–14 too
    assert not any("01" in b.meldung and "fehlt" in b.meldung.lower() for b in bericht.befunde)
    tabellen, _ = lies_raster(csv_raster(pfad), quelle=pfad.stem)
    assert sorted(tabellen[0].zeilen) == list(range(1, 15))


# ---------------------------------------------------------------------------------------- 9. signs per row


def test_lensahn_zeile_20_negativ_addiert(tmp_path: Path) -> None:
    # Row 21 = 19 + 20 with 20 printed negative: Ergebnis des Vorjahres 53.839,93 + (−7.609,69) = 46.230,24;
    # Ansatz 54.800 + (−12.000) = 42.800; Ist 62.771,47 + (−20.382,44) = 42.389,03 — all as printed.
    bericht = pruefe_haushaltsdatei(LENSAHN)
    assert fehler(bericht) == []
    (note,) = regeln(bericht, "vorzeichenkonvention")
    assert note.meldung == (
        "Vorzeichen: Aufwendungen/Auszahlungen positiv gedruckt und abgezogen; abweichend negativ gedruckt und "
        "addiert: Zeile 20"
    )
    # Changing the part 20 (Ist, line 21, col F) 20.382,44- → 20.392,44-: 21 = 62.771,47 − 20.392,44 = 42.379,03.
    bericht = pruefe_haushaltsdatei(geaendert(LENSAHN, tmp_path, 21, 5, "20.382,44-", "20.392,44-"))
    assert [stelle(b) for b in fehler(bericht)] == [
        (None, "21", "Ist-Ergebnis des Haushaltsjahres", "42.379,03", "42.389,03", "F22")
    ]


# ---------------------------------------------- 10. row number not in the first column, "-" for empty


def test_lensahn_nummer_in_spalte_2_und_strich_leer() -> None:
    (tabelle,) = lies_raster(csv_raster(LENSAHN))[0]
    assert sorted(tabelle.zeilen) == list(range(1, 25))  # not the account ranges 40, 41 … "441, 442, 446"
    zeile5 = tabelle.zeilen[5]
    assert zeile5.bezeichnung == "privatrechtliche Leistungsentgelte" and zeile5.marke == "+"
    # "-" in Übertragene Ermächtigungen of income rows: empty, not 0 and not an error
    assert zeile5.werte == [Decimal("161761.29"), Decimal("111500.00"), Decimal("179396.41"),
                            Decimal("-67896.41"), None]  # fmt: skip
    assert zeile5.zellen == ["D6", "E6", "F6", "G6", "H6"]


def test_zeitreihe_zeile_22_doppelt_ohne_widerspruch() -> None:
    # Row 22 printed twice: 2019–2023 in the first line, 2024 in the second; one row, no zeile_doppelt.
    # 2024: 22 = 18 + 21 = −3.431.937,99 + 42.800 = −3.389.137,99 (printed); 24 = 22 + 23 = −3.389.137,99 +
    # 2.754.000 = −635.137,99 (printed).
    bericht = pruefe_haushaltsdatei(ZEITREIHE)
    assert regeln(bericht, "zeile_doppelt") == [] and fehler(bericht) == []
    (tabelle,) = lies_raster(csv_raster(ZEITREIHE))[0]
    assert tabelle.zeilen[22].werte[0] == Decimal("335735.76") and tabelle.zeilen[22].werte[5] == Decimal("-3389137.99")


# -------------------------------------------------------------------- files nothing can be read from


def _cli(pfad: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pyxl", "haushalt", "pruefen", str(pfad)], cwd=WURZEL,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_nur_kopfzeile_ohne_nummern(tmp_path: Path) -> None:
    pfad = tmp_path / "jahre.csv"
    pfad.write_text(
        "Bezeichnung;Ergebnis 2024;Ansatz 2025;Plan 2026\nSteuern;1.060;2.000;3.500\nZuwendungen;400;500;600\n"
    )
    bericht = pruefe_haushaltsdatei(pfad)
    assert bericht.status is Status.NICHT_PRUEFBAR
    (meldung,) = [b.meldung for b in fehler(bericht)]
    assert "Kopfzeile" in meldung and "keine Zeilennummern" in meldung
    lauf = _cli(pfad)
    assert lauf.returncode == 2, lauf.stdout + lauf.stderr
    assert "keine Zeilennummern" in lauf.stdout + lauf.stderr


def test_nummern_ohne_kopfzeile(tmp_path: Path) -> None:
    pfad = tmp_path / "nummern.csv"
    pfad.write_text("01;Steuern;100;200\n02;Zuwendungen;300;400\n03;Summe;400;600\n")
    bericht = pruefe_haushaltsdatei(pfad)
    assert bericht.status is Status.NICHT_PRUEFBAR
    (meldung,) = [b.meldung for b in fehler(bericht)]
    assert "keine Kopfzeile" in meldung
    lauf = _cli(pfad)
    assert lauf.returncode == 2, lauf.stdout + lauf.stderr
    assert "keine Kopfzeile" in lauf.stdout + lauf.stderr


# ------------------------------------------------------------------------------------ hostile inputs


def _zeitlich(pfad: Path) -> tuple[Bericht, float]:
    anfang = time.perf_counter()
    bericht = pruefe_haushaltsdatei(pfad)
    return bericht, time.perf_counter() - anfang


def test_feindlich_20000_kopfartige_zeilen_vor_der_tabelle(tmp_path: Path) -> None:
    zeilen, _ = zeilen_von(PB01_TEP)
    zeilen[14][4] = "71.381.260"  # as in EINE_AENDERUNG: row 17 Haushaltsansatz 2026 219.243.960 vs 219.243.860
    pfad = schreibe_csv([["2024", "2025", "2026", "2027"]] * 20_000 + zeilen, tmp_path / "kopf.csv")
    bericht, dauer = _zeitlich(pfad)
    assert dauer < SCHNELL
    assert [(b.zeile, b.spalte, b.erwartet, b.gefunden, b.zelle) for b in fehler(bericht)] == [
        ("17", "Haushaltsansatz 2026", "219.243.960", "219.243.860", "E20019")
    ]


def test_feindlich_3000_spalten_breit(tmp_path: Path) -> None:
    zeilen, _ = zeilen_von(PB01_TEP)
    breite = 3_000
    mappe = openpyxl.Workbook()
    blatt = mappe.active
    blatt.append([f"Anmerkung {i}" for i in range(breite)])  # a first row 3.000 columns wide
    for zeile in zeilen:
        werte = [als_zahl(w) if w != "" else None for w in zeile]
        if werte and isinstance(werte[0], int):
            werte += [0] * (breite - len(werte))  # numbered rows run on, 3.000 cells each, under no heading
        blatt.append(werte)
    pfad = tmp_path / "breit.xlsx"
    mappe.save(pfad)
    bericht, dauer = _zeitlich(pfad)
    assert dauer < SCHNELL
    assert fehler(bericht) == [], [b.meldung for b in fehler(bericht)]
    assert regeln(bericht, "schema_erkannt")


def test_feindlich_50000_nummerierte_zeilen_ohne_werte(tmp_path: Path) -> None:
    kopf = "Teilergebnisplan;Ergebnis 2024;Ansatz 2025;Plan 2026\n"
    rumpf = "".join(f"{i % 29 + 1:02d};;;\n" for i in range(50_000))
    pfad = tmp_path / "leer.csv"
    pfad.write_text(kopf + rumpf)
    bericht, dauer = _zeitlich(pfad)
    assert dauer < SCHNELL
    assert fehler(bericht) == [], [b.meldung for b in fehler(bericht)][:3]


def test_feindlich_text_statt_zahl(tmp_path: Path) -> None:
    # PB 01 TEP row 13 Haushaltsansatz 2026 (line 15, col E) "abc": an error at E15, never a silent 0 (a silent 0
    # would make row 17 differ by 71.381.160 and report the sum instead).
    bericht = pruefe_haushaltsdatei(geaendert(PB01_TEP, tmp_path, 15, 4, "71.381.160", "abc"))
    unlesbar = regeln(bericht, "zahl_unlesbar")
    assert [(b.schwere, b.zeile, b.spalte, b.zelle, b.gefunden) for b in unlesbar] == [
        (Schwere.FEHLER, "13", "Haushaltsansatz 2026", "E15", "abc")
    ]
    assert [b.regel for b in fehler(bericht)] == ["zahl_unlesbar"]


def test_feindlich_text_statt_zahl_langformat(tmp_path: Path) -> None:
    bericht = pruefe_haushaltsdatei(geaendert(OB_FP, tmp_path, 32, 10, "389800", "abc"))
    unlesbar = regeln(bericht, "zahl_unlesbar")
    assert [(b.produkt, b.zeile, b.spalte, b.gefunden) for b in unlesbar] == [("Gesamt", "05", "Ansatz 2026", "abc")]
    assert [b.regel for b in fehler(bericht)] == ["zahl_unlesbar"]  # row 09 Ansatz 2026 not checked, not wrong


def test_feindlich_zeile_doppelt_mit_anderen_werten(tmp_path: Path) -> None:
    zeilen, ende = zeilen_von(PB01_TEP)
    doppelt = list(zeilen[14])  # row 13 again, Haushaltsansatz 2026 different
    doppelt[4] = "1.000"
    pfad = schreibe_csv([*zeilen[:15], doppelt, *zeilen[15:]], tmp_path / "doppelt.csv", ende)
    bericht = pruefe_haushaltsdatei(pfad)
    doppelt_befunde = regeln(bericht, "zeile_doppelt")
    assert [(b.schwere, b.zeile, b.spalte, b.gefunden) for b in doppelt_befunde] == [
        (Schwere.FEHLER, "13", "Haushaltsansatz 2026", "1000")
    ]
    assert [b.regel for b in fehler(bericht)] == ["zeile_doppelt"]


def test_seitenumbruch_mit_wiederholter_kopfzeile_bleibt_eine_tabelle(tmp_path: Path) -> None:
    # Attack: the two header rows repeated before row 17 (as a page break prints them), so that row 17 would stand in
    # a table of its own with none of its parts and go unchecked. Münster PB 01 TEP, row 17 Haushaltsansatz 2026
    # (line 19, col E) printed 219.243.860 = Σ 11–16; changed to 219.243.960. The continued table is read as one:
    # the error stays an error at row 17, and the check of 18 = 10 − 17 uses the printed 17 (+100 € off → error).
    zeilen, ende = zeilen_von(PB01_TEP)
    assert zeilen[18][4] == "219.243.860"
    zeilen[18][4] = "219.243.960"
    zeilen = [*zeilen[:18], zeilen[0], zeilen[1], *zeilen[18:]]
    bericht = pruefe_haushaltsdatei(schreibe_csv(zeilen, tmp_path / PB01_TEP.name, ende))
    assert not regeln(bericht, "summe_ungeprueft")
    assert [(b.zeile, b.spalte, b.erwartet, b.gefunden) for b in fehler(bericht)] == [
        ("17", "Haushaltsansatz 2026", "219.243.860", "219.243.960"),
        # 18 = 10 − 17: 48.069.310 − 219.243.960 = −171.174.650, printed 171.174.550-
        ("18", "Haushaltsansatz 2026", "-171.174.650", "-171.174.550"),
    ]
