"""One worked call per Excel function, as cell values: the add-in's tests, the benchmark and the guide use it.

Values are what Excel passes: numbers, text, ranges as rows of cells, dates as ``datetime.date`` (sent to the
add-in as serial numbers, like Excel does). A function without an entry here fails the test sweep on purpose.
"""

from __future__ import annotations

import datetime as dt

BEISPIELAUFRUFE: dict[str, tuple[object, ...]] = {
    "KZ_VERAENDERUNG": (1200, 1350),
    "KZ_ANTEIL": (45, 180),
    "KZ_FRISTQUOTE": (
        [[dt.date(2025, 1, 2)], [dt.date(2025, 1, 6)], [dt.date(2025, 1, 7)], [dt.date(2025, 1, 9)]],
        [[dt.date(2025, 1, 20)], [dt.date(2025, 3, 1)], [None], [dt.date(2025, 1, 30)]],
        30,
    ),
    "OEPNV_WAGNIS": (2_500_000,),
    "OEPNV_EXANTE": (-200_000, -150_000, 3_000_000),
    "OEPNV_DECKELUNG": (1_300_000, 1_200_000),
    "OEPNV_ABSCHMELZUNG": ([[600_000], [300_000], [100_000.01]], 900_000),
    "OEPNV_EXPOST_HOECHSTBETRAG": (3_000_000, 50_000, 1_400_000, 1_500_000),
    "OEPNV_BONUS": (2_900_000, 3_000_000, 1_450_000, 1_400_000, 1_500_000),
    "OEPNV_ANSPRUCH": (1_500_000, 1_450_000, 20_000),
    "OEPNV_KUERZUNG_AUSFALL": (1_500_000, 1_000_000, 12_000),
    "OEPNV_LEISTUNGSAENDERUNG": (1_500_000, 1_000_000, 50_000),
    "OEPNV_ABSCHLAEGE": (1_500_000,),
    "OEPNV_RUECKZAHLUNGSZINS": (10_000, dt.date(2024, 3, 1), dt.date(2024, 12, 31)),
    "RZW_KRW_WASSERLEITUNG": (150,),
    "RZW_KRW_GEBAEUDE": (850,),
    "RZW_KRW_ORTSENTWAESSERUNG": (0.4,),
    "RZW_KRW_FREISPIEGELLEITUNG": (280, None),
    "RZW_KRW_DRUCKLEITUNG": ("gepfluegt",),
    "RZW_KRW_PUMPSTATION": (12,),
    "RZW_KRW_REGENBECKEN": (500, "massiv"),
    "RZW_KRW_REGENUEBERLAUF": (150,),
    "RZW_KRW_BODENFILTER": (800,),
    "RZW_KRW_KLAERANLAGE": (2000,),
    "RZW_KRW_NACHRUESTUNG": (2000, 1985),
    "RZW_KRW_SANIERUNG": (245,),
    "RZW_KOSTENPAUSCHALE": (547.45, 2000),
    "RZW_INGENIEURZUSCHLAG": (1_406_250, 1, "abwasser"),
    "RZW_AUSBAUKOSTEN": (7_850_000, 1480),
    "RZW_ZUWENDUNGSSATZ": (5000.5,),
    "RZW_ZUWENDUNG": (1_622_136.65, 5000.5, None),
}
