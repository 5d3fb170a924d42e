"""A whole budget at once (issue 13, item 12): one file with many product tables gives one report with an overview
per product and plan at the top (text, JSON "products", accessible HTML); a folder or a pattern the shell did not
expand gives one report per budget file, other files listed as skipped."""

from __future__ import annotations

import json
import os
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pyxl.haushalt.datei import pruefe_haushaltsdatei
from pyxl.validators.ausgabe import html
from pyxl.validators.befund import Schwere
from pyxl.validators.eingabe_dateien import EingabeFehler, dateien_aus
from tests.befehl import pyxl
from tests.ganzer_haushalt import als_xlsx, ganzer_haushalt, produktnummer, schreiben

WURZEL = Path(__file__).parents[1]
ECHT = WURZEL / "tests" / "daten" / "haushalt_echt"
MUENSTER_TEP = next((ECHT / "muenster_pb01").glob("*Teilergebnisplan*.csv"))
SEED = WURZEL.parent / "shared" / "seeds" / "haushalt_kreis_dueren_umweltschutz.txt"
HAUSHALT = (".txt", ".csv", ".xlsx")
FALSCH = {1: ("tep", 29)}  # product 2: row 29 of its Teilergebnisplan printed 1.000 € off


def _haushalt(ordner: Path, form: str = "csv", produkte: int = 3) -> Path:
    return schreiben(ordner, form, produkte, FALSCH)


# --- the overview -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["csv", "xlsx", "lang"])
def test_whole_budget_overview_counts_the_one_wrong_sum_at_its_product(tmp_path, form):
    bericht = pruefe_haushaltsdatei(_haushalt(tmp_path, form))
    praefix = {"lang": ("TEP ", "TFP ")}.get(form, ("", ""))
    plaene = ("Teilergebnisplan", "Teilfinanzplan" if form != "lang" else "Teilfinanzplan (Investitionstätigkeit, "
              "Zeilen 01–14)")  # fmt: skip
    assert [(t.produkt, t.plan) for t in bericht.teile] == [
        (praefix[k] + produktnummer(i), plaene[k]) for i in range(3) for k in (0, 1)
    ]
    fehler = [t.anzahl[Schwere.FEHLER] for t in bericht.teile]
    assert fehler == [0, 0, 1, 0, 0, 0]  # product 2's Teilergebnisplan, nothing anywhere else
    assert [t.anzahl[Schwere.WARNUNG] for t in bericht.teile] == [0] * 6
    assert [t.zeilenschema for t in bericht.teile[:2]] == [
        "Teilergebnisplan, NKF NRW",
        "Teilfinanzplan (Investitionstätigkeit, Zeilen 01–14), NKF NRW",
    ]
    # the counts are the findings': the notes of each table (scheme, signs, rows not printed) and the one error
    assert sum(t.anzahl[s] for t in bericht.teile for s in Schwere) == len(bericht.befunde)
    (falsch,) = [b for b in bericht.befunde if b.schwere is Schwere.FEHLER]
    assert (falsch.produkt, falsch.zeile, falsch.spalte) == (praefix[0] + produktnummer(1), "29", "Ergebnis 2024")
    assert (falsch.erwartet, falsch.gefunden) == (
        falsch.erwartet,
        _um_tausend(falsch.erwartet),
    )


def _um_tausend(betrag: str | None) -> str:
    """The German amount 1.000 € above ``betrag`` (the printed sum is 1.000 € off)."""
    from decimal import Decimal

    from pyxl.functions.zahlen import deutsch, lies_deutsch

    wert = lies_deutsch(betrag or "")
    assert wert is not None
    return deutsch(wert + Decimal(1000))


def test_one_table_gets_no_overview(tmp_path):
    bericht = pruefe_haushaltsdatei(MUENSTER_TEP)
    assert bericht.teile == [] and "products" not in bericht.als_json()
    lauf = pyxl("haushalt", "pruefen", MUENSTER_TEP)
    assert "Übersicht" not in lauf.stdout


def test_json_has_products_with_english_keys(tmp_path):
    lauf = pyxl("haushalt", "pruefen", _haushalt(tmp_path), "--format", "json")
    assert lauf.returncode == 1, lauf.stderr
    daten = json.loads(lauf.stdout)
    assert list(daten)[:6] == ["file", "form", "version", "title", "status", "products"]  # before the findings
    assert daten["summary"] == {"error": 1, "warning": 0, "info": 18}
    assert len(daten["products"]) == 6
    assert daten["products"][2] == {
        "product": produktnummer(1),
        "plan": "Teilergebnisplan",
        "scheme": "Teilergebnisplan, NKF NRW",
        "sheet": None,
        "summary": {"error": 1, "warning": 0, "info": 3},
    }


def test_text_report_starts_with_the_overview(tmp_path):
    datei = _haushalt(tmp_path)
    lauf = pyxl("haushalt", "pruefen", datei)
    zeilen = lauf.stdout.splitlines()
    assert zeilen[0].startswith(str(datei))
    assert zeilen[1] == "  Ergebnis: 1 Fehler, 0 Warnungen, 18 Hinweise"
    assert zeilen[2] == "  Übersicht je Produkt und Plan: 6 Plantabellen, 1 davon mit Fehlern, 0 mit Warnungen"
    assert zeilen[5] == (
        f"    Produkt {produktnummer(1)} · Teilergebnisplan · Schema Teilergebnisplan, NKF NRW: "
        "1 Fehler, 0 Warnungen, 3 Hinweise"
    )
    assert zeilen[3].endswith(": 0 Fehler, 0 Warnungen, 3 Hinweise")
    assert zeilen[8].startswith(f"    Produkt {produktnummer(2)} · Teilfinanzplan · Schema Teilfinanzplan")
    assert zeilen[9].startswith("  Hinweis: ")  # the findings follow the overview


class _Tabellen(HTMLParser):
    """The tables of a page: caption, header cells with their scope, and per body row its cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tabellen: list[dict] = []
        self._in: str | None = None
        self._teil = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.tabellen.append({"caption": "", "th": [], "zeilen": []})
        elif tag in ("thead", "tbody"):
            self._teil = tag
        elif tag == "tr" and self._teil == "tbody":
            self.tabellen[-1]["zeilen"].append([])
        elif tag in ("caption", "th", "td"):
            self._in = tag
            if tag == "th":
                self.tabellen[-1]["th"].append((self._teil, a.get("scope")))
            if tag != "caption" and self._teil == "tbody":
                self.tabellen[-1]["zeilen"][-1].append((tag, ""))

    def handle_endtag(self, tag):
        if tag in ("caption", "th", "td"):
            self._in = None

    def handle_data(self, data):
        if self._in == "caption":
            self.tabellen[-1]["caption"] += data
        elif self._in in ("th", "td") and self._teil == "tbody":
            art, text = self.tabellen[-1]["zeilen"][-1][-1]
            self.tabellen[-1]["zeilen"][-1][-1] = (art, text + data)


def test_html_overview_is_an_accessible_table_above_the_findings(tmp_path):
    datei = _haushalt(tmp_path, "xlsx")  # with sheets: a column for the sheet
    seite = html.seite([pruefe_haushaltsdatei(datei)])
    leser = _Tabellen()
    leser.feed(seite)
    uebersicht, befunde = leser.tabellen
    assert uebersicht["caption"].startswith("Übersicht je Produkt und Plan: 6 Plantabellen, 1 davon mit Fehlern")
    assert befunde["caption"].startswith("Befunde zu ")
    assert [s for t, s in uebersicht["th"] if t == "thead"] == ["col"] * 7
    assert [s for t, s in uebersicht["th"] if t == "tbody"] == ["row"] * 6  # each row named by its product
    assert uebersicht["zeilen"][2] == [
        ("th", produktnummer(1)), ("td", "Teilergebnisplan"), ("td", "Haushaltsplan"),
        ("td", "Teilergebnisplan, NKF NRW"), ("td", "1"), ("td", "0"), ("td", "3"),
    ]  # fmt: skip
    assert '<tr class="error"><th scope="row">' + produktnummer(1) in seite  # marked, and the count says it
    assert seite.index("Übersicht je Produkt") < seite.index("Befunde zu ")


def test_seed_text_with_four_tables_gets_the_overview():
    if not SEED.exists():
        pytest.skip("shared/seeds fehlt")
    bericht = pruefe_haushaltsdatei(SEED)
    assert [(t.produkt, t.plan) for t in bericht.teile] == [
        ("14.561.01", "Teilergebnisplan"), ("14.561.01", "Teilfinanzplan"),
        ("14.562.01", "Teilergebnisplan"), ("14.562.01", "Teilfinanzplan"),
    ]  # fmt: skip
    assert all(t.anzahl[Schwere.FEHLER] == 0 for t in bericht.teile)


def test_500_products_in_time(tmp_path):
    """The benchmark's file (bench/haushalt_ganz_bench.py) with a generous bound for a loaded test machine."""
    datei = _haushalt(tmp_path, produkte=500)
    start = time.perf_counter()
    bericht = pruefe_haushaltsdatei(datei)
    assert time.perf_counter() - start < 30
    assert len(bericht.teile) == 1000 and bericht.anzahl(Schwere.FEHLER) == 1


# --- folders and patterns -----------------------------------------------------------------------------------------


def _ordner(tmp_path: Path) -> Path:
    ordner = tmp_path / "haushalt"
    (ordner / "b_band2").mkdir(parents=True)
    _haushalt(ordner)  # haushaltsplan_csv.csv
    if SEED.exists():
        (ordner / "b_band2" / "dueren.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    else:
        (ordner / "b_band2" / "dueren.txt").write_text(ganzer_haushalt(1), encoding="utf-8")
    als_xlsx(ordner / "b_band2" / "plan.xlsx", 2)
    (ordner / "scan.pdf").write_bytes(b"%PDF-1.7\n")
    return ordner


def test_folder_gives_one_report_per_budget_file_and_lists_the_rest(tmp_path):
    ordner = _ordner(tmp_path)
    lauf = pyxl("haushalt", "pruefen", ordner, "--format", "json")
    berichte = json.loads(lauf.stdout)
    assert [Path(b["file"]).relative_to(ordner).as_posix() for b in berichte] == [
        "b_band2/dueren.txt", "b_band2/plan.xlsx", "haushaltsplan_csv.csv",
    ]  # fmt: skip
    assert all(b["status"] == "checked" for b in berichte)
    assert lauf.returncode == 1  # the one wrong sum; a skipped file is no error
    uebersprungen = [z for z in lauf.stderr.splitlines() if "übersprungen" in z]
    assert uebersprungen == [f"Hinweis: {ordner / 'scan.pdf'} übersprungen – Endung .pdf, geprüft werden .csv, .txt "
                             "und .xlsx"]  # fmt: skip
    assert "Fehler" not in lauf.stderr


def test_pattern_the_shell_left_alone_is_expanded(tmp_path):
    ordner = _ordner(tmp_path)
    lauf = pyxl("haushalt", "pruefen", ordner / "*.csv", "--format", "json")  # no shell: pyxl expands it
    bericht = json.loads(lauf.stdout)
    assert bericht["file"] == str(ordner / "haushaltsplan_csv.csv") and len(bericht["products"]) == 6
    lauf = pyxl("haushalt", "pruefen", ordner / "**" / "*.xlsx", "--format", "json")
    assert json.loads(lauf.stdout)["file"] == str(ordner / "b_band2" / "plan.xlsx")


def test_pattern_matches_are_taken_as_named(tmp_path):
    """What a pattern matches is checked as if the shell had named it (on Unix `pyxl … daten/*` names scan.pdf
    too), so a command behaves alike on Windows and Unix."""
    ordner = _ordner(tmp_path)
    dateien, uebersprungen = dateien_aus([str(ordner / "*")], HAUSHALT)
    assert [p.relative_to(ordner).as_posix() for p in dateien] == [
        "b_band2/dueren.txt", "b_band2/plan.xlsx", "haushaltsplan_csv.csv", "scan.pdf",
    ]  # fmt: skip
    assert uebersprungen == []


@pytest.mark.parametrize(
    ("argument", "meldung"),
    [
        ("gibt_es_nicht.csv", "gibt_es_nicht.csv: weder Datei noch Ordner gefunden"),
        ("daten/*.csv", "daten/*.csv: keine Datei und kein Ordner passt auf das Muster"),
    ],
)
def test_name_that_is_nowhere_is_a_german_error_with_exit_2(tmp_path, argument, meldung):
    lauf = pyxl("haushalt", "pruefen", _haushalt(tmp_path), tmp_path / argument)
    assert lauf.returncode == 2
    assert lauf.stderr.strip() == f"Fehler: {tmp_path / meldung}"
    assert lauf.stdout == ""  # nothing checked: the call was wrong


def test_folder_without_budget_files_is_an_error(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n")
    lauf = pyxl("haushalt", "pruefen", tmp_path)
    assert lauf.returncode == 2
    assert lauf.stderr.splitlines() == [
        f"Hinweis: {tmp_path / 'scan.pdf'} übersprungen – Endung .pdf, geprüft werden .csv, .txt und .xlsx",
        f"Fehler: keine Datei zu prüfen (.txt, .csv, .xlsx) in {tmp_path}",
    ]


def test_symlink_loops_are_not_followed(tmp_path):
    ordner = tmp_path / "haushalt"
    (ordner / "unter").mkdir(parents=True)
    (ordner / "unter" / "plan.csv").write_text("x", encoding="utf-8")
    (ordner / "unter" / "zurueck").symlink_to(ordner, target_is_directory=True)  # a loop to the top
    (ordner / "selbst").symlink_to(".", target_is_directory=True)  # a loop to itself
    (ordner / "a.csv").symlink_to(ordner / "b.csv")  # a pair of links to each other
    (ordner / "b.csv").symlink_to(ordner / "a.csv")
    start = time.perf_counter()
    dateien, uebersprungen = dateien_aus([ordner], HAUSHALT)
    assert time.perf_counter() - start < 5
    assert dateien == [ordner / "unter" / "plan.csv"]  # no endless walk, no path twice
    kreis = "Verknüpfung ohne erreichbares Ziel (fehlt oder verweist im Kreis)"
    assert [(u.pfad, u.grund) for u in uebersprungen] == [
        (ordner / "a.csv", kreis),
        (ordner / "b.csv", kreis),
        (ordner / "selbst", "Verknüpfung auf einen Ordner, nicht verfolgt"),
        (ordner / "unter" / "zurueck", "Verknüpfung auf einen Ordner, nicht verfolgt"),
    ]


def test_symlink_loop_through_the_command(tmp_path):
    ordner = tmp_path / "haushalt"
    ordner.mkdir()
    _haushalt(ordner)
    (ordner / "schleife").symlink_to("..", target_is_directory=True)
    lauf = pyxl("haushalt", "pruefen", ordner, "--format", "json")
    assert json.loads(lauf.stdout)["file"] == str(ordner / "haushaltsplan_csv.csv")
    assert f"{ordner / 'schleife'} übersprungen – Verknüpfung auf einen Ordner, nicht verfolgt" in lauf.stderr


@pytest.mark.langsam
def test_folder_with_100000_entries_is_listed_in_time(tmp_path):
    ordner = tmp_path / "gross"
    ordner.mkdir()
    for i in range(100_000):
        os.close(os.open(ordner / f"d{i:06d}{'.csv' if i % 10 == 0 else '.log'}", os.O_CREAT | os.O_WRONLY, 0o644))
    start = time.perf_counter()
    dateien, uebersprungen = dateien_aus([ordner], HAUSHALT)
    dauer = time.perf_counter() - start
    assert len(dateien) == 10_000 and len(uebersprungen) == 90_000
    assert dateien[:2] == [ordner / "d000000.csv", ordner / "d000010.csv"] and dateien == sorted(dateien)
    assert dauer < 10, dauer


def test_many_skipped_files_are_named_up_to_a_hundred(tmp_path):
    ordner = _ordner(tmp_path)
    for i in range(150):
        (ordner / f"notiz{i:03d}.docx").write_bytes(b"")
    lauf = pyxl("haushalt", "pruefen", ordner / "haushaltsplan_csv.csv", ordner / "b_band2", ordner / "notiz*")
    hinweise = [z for z in lauf.stderr.splitlines() if z.startswith("Hinweis: ")]
    # the notes were named by a pattern, so they are checked; the folder b_band2 holds budget files only
    assert hinweise == [] and lauf.stdout.count("nicht prüfbar") == 150
    lauf = pyxl("haushalt", "pruefen", ordner)
    hinweise = [z for z in lauf.stderr.splitlines() if z.startswith("Hinweis: ")]
    assert len(hinweise) == 101 and hinweise[-1] == "Hinweis: … und 51 weitere Dateien übersprungen"


def test_lock_files_of_excel_are_skipped(tmp_path):
    (tmp_path / "~$plan.xlsx").write_bytes(b"\0" * 165)
    (tmp_path / "plan.csv").write_text("x", encoding="utf-8")
    dateien, uebersprungen = dateien_aus([tmp_path], HAUSHALT)
    assert dateien == [tmp_path / "plan.csv"]
    assert [(u.pfad.name, u.grund) for u in uebersprungen] == [("~$plan.xlsx", "Sperrdatei von Excel")]


def test_same_file_named_twice_is_checked_once(tmp_path):
    datei = _haushalt(tmp_path)
    dateien, _ = dateien_aus([datei, tmp_path, str(tmp_path / "*.csv")], HAUSHALT)
    assert dateien == [datei]


def test_missing_name_raises_for_other_commands_too(tmp_path):
    with pytest.raises(EingabeFehler, match="weder Datei noch Ordner"):
        dateien_aus([tmp_path / "fehlt.xlsx"], (".xlsx", ".xlsm"))


def test_deep_pattern_does_not_follow_links(tmp_path):
    """glob's ``**`` follows links to folders: two links to ``.`` in one folder make it walk for ever."""
    ordner = tmp_path / "haushalt"
    (ordner / "band1").mkdir(parents=True)
    (ordner / "band1" / "plan.csv").write_text("x", encoding="utf-8")
    (ordner / "a").symlink_to(".", target_is_directory=True)
    (ordner / "b").symlink_to(".", target_is_directory=True)
    start = time.perf_counter()
    dateien, _ = dateien_aus([str(ordner / "**" / "*.csv")], HAUSHALT)
    assert time.perf_counter() - start < 5
    assert dateien == [ordner / "band1" / "plan.csv"]
