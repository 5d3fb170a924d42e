"""Checks as a catalogue (issue 14, point 5): every finding is declared once and created from that declaration.

The static scan reads the source for the ids handed to the finding factory and its thin wrappers; the factory
itself refuses an id the catalogue lacks (and a severity it does not allow), so a finding made at run time with a
computed id fails the test that makes it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from pyxl.doku import regelreferenz
from pyxl.haushalt.plaene import Lesebefund
from pyxl.pruefregeln import Befund, Schwere, UnbekannteRegel, befund, katalog, regel
from pyxl.templates.gemeinsam import Flagge
from pyxl.validators.paket import Paketfehler
from pyxl.validators.tor import Abgelehnt
from tests.test_deutsch_ueberall import verstoesse

WURZEL = Path(__file__).resolve().parents[1]
PAKET = WURZEL / "pyxl"
KATALOG = PAKET / "pruefregeln"
# callables whose argument at this position is a rule id: the factory, the modules' thin wrappers, and the types
# that carry an id to it (a refused file, an unresolvable package, a budget table's reading, a form's flag)
FABRIKEN = {"befund": 0, "melde": 0, "Abgelehnt": 0, "Paketfehler": 0, "Lesebefund": 0, "Flagge": 3}
BEFUNDTYPEN = {"Befund", "HaushaltsBefund"}


def _name(aufruf: ast.Call) -> str | None:
    funktion = aufruf.func
    return funktion.id if isinstance(funktion, ast.Name) else getattr(funktion, "attr", None)


def _texte(knoten: ast.AST) -> list[str]:
    """The string literals an id argument can take ("menge_ganzzahlig" if menge else "ganzzahl")."""
    if isinstance(knoten, ast.Constant) and isinstance(knoten.value, str):
        return [knoten.value]
    if isinstance(knoten, ast.IfExp):
        return _texte(knoten.body) + _texte(knoten.orelse)
    if isinstance(knoten, ast.BoolOp):
        return [t for wert in knoten.values for t in _texte(wert)]
    return []  # a name: the id comes from a site that was checked where it was written


def kennungen(quelle: str) -> set[str]:
    """Every literal rule id handed to a finding factory in ``quelle``."""
    gefunden = set()
    for knoten in ast.walk(ast.parse(quelle)):
        if isinstance(knoten, ast.Call) and (stelle := FABRIKEN.get(_name(knoten) or "")) is not None:
            if len(knoten.args) > stelle:
                gefunden.update(_texte(knoten.args[stelle]))
            gefunden.update(t for k in knoten.keywords if k.arg in ("regel", "regel_id") for t in _texte(k.value))
    return gefunden


def _quellen() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in sorted(PAKET.rglob("*.py")) if KATALOG not in p.parents}


def test_every_literal_id_in_the_source_is_in_the_catalogue():
    bekannt = set(katalog())
    fehlend = {f"{p.relative_to(WURZEL)}: {k}" for p, q in _quellen().items() for k in kennungen(q) - bekannt}
    assert not fehlend, f"Prüfregeln ohne Katalogeintrag (pyxl/pruefregeln/katalog.toml): {sorted(fehlend)}"


def test_the_scan_finds_ids_at_every_kind_of_site():
    """The scan itself: a new id at the factory, behind a condition, in a wrapper, a refusal or a flag is found."""
    quelle = """
befund("neu_a", meldung="m")
pruefregeln.befund("neu_b" if x else "neu_c", meldung="m")
self.melde("neu_d", feld, "m")
raise Abgelehnt("neu_e", "m")
Lesebefund("neu_f", "m", 1, 2)
Flagge("s", f, "info", "neu_g", "m", "r")
befund(lese.regel, meldung="m")
"""
    assert kennungen(quelle) == {f"neu_{b}" for b in "abcdefg"}
    assert len(set().union(*map(kennungen, _quellen().values()))) >= 80  # the real source, not an empty scan


def test_findings_are_made_only_by_the_factory():
    """One way in: nobody builds a finding by hand, so none escapes the catalogue."""
    direkt = [
        f"{p.relative_to(WURZEL)}:{k.lineno}"
        for p, q in _quellen().items()
        for k in ast.walk(ast.parse(q))
        if isinstance(k, ast.Call) and _name(k) in BEFUNDTYPEN
    ]
    assert not direkt, f"Befund direkt erzeugt statt mit pyxl.pruefregeln.befund: {direkt}"


def test_the_factory_refuses_an_unknown_id_and_a_severity_the_catalogue_does_not_allow():
    with pytest.raises(UnbekannteRegel, match="nicht im Katalog"):
        befund("gibt_es_nicht", meldung="m")
    with pytest.raises(ValueError, match="Schwere Hinweis nicht im Katalog"):
        befund("dde", meldung="m", schwere=Schwere.HINWEIS)
    for ohne_katalog in (
        lambda: Abgelehnt("gibt_es_nicht", "m"),
        lambda: Paketfehler("gibt_es_nicht", "m"),
        lambda: Lesebefund("gibt_es_nicht", "m"),
        lambda: Flagge("s", lambda w: "ja", "info", "gibt_es_nicht", "m", "r"),
    ):
        with pytest.raises(UnbekannteRegel):
            ohne_katalog()
    with pytest.raises(ValueError, match="Schwere Warnung"):
        Flagge("s", lambda w: "ja", "warning", "abschmelzung_1_8", "m", "r")


def test_a_finding_takes_severity_and_clause_from_its_entry_unless_it_knows_better():
    eintrag = regel("formel_ueberschrieben")
    allgemein = befund("formel_ueberschrieben", meldung="Formel überschrieben", zelle="H51")
    assert (allgemein.schwere, allgemein.fundstelle) == (Schwere.FEHLER, eintrag.fundstelle)
    genau = befund("formel_ueberschrieben", meldung="m", fundstelle="RZWas 2005 Anl. 2b Nr. 2", erwartet=3)
    assert (genau.fundstelle, genau.erwartet) == ("RZWas 2005 Anl. 2b Nr. 2", "3")
    assert befund("verstecktes_blatt", meldung="m").schwere is Schwere.WARNUNG  # the first listed is the default
    assert befund("verstecktes_blatt", meldung="m", schwere=Schwere.FEHLER).schwere is Schwere.FEHLER
    assert isinstance(allgemein, Befund)


def test_json_keys_of_a_finding_stay_as_users_script_against():
    daten = befund("bereich", meldung="m", blatt="B", zelle="C4", schluessel="k").model_dump(mode="json", by_alias=True)
    assert list(daten) == ["rule", "severity", "sheet", "cell", "message", "expected", "found", "clause", "key"]


@pytest.mark.parametrize("eintrag", list(katalog().values()), ids=list(katalog()))
def test_every_entry_explains_itself_in_german(eintrag):
    assert re.fullmatch(r"[a-z][a-z0-9_]*", eintrag.kennung)
    assert eintrag.schweren and len(set(eintrag.schweren)) == len(eintrag.schweren)
    assert eintrag.titel.strip() and not eintrag.titel.endswith(".")
    assert eintrag.bedeutung.strip().endswith(".") and len(eintrag.bedeutung) >= 40
    assert eintrag.fundstelle.strip() and eintrag.bereich.titel.strip() and eintrag.bereich.text.strip()
    texte = [("titel", eintrag.titel), ("bedeutung", eintrag.bedeutung), ("fundstelle", eintrag.fundstelle)]
    assert not verstoesse([(f"{eintrag.kennung}.{wo}", text) for wo, text in texte])


def test_every_area_explains_itself_in_german():
    bereiche = {r.bereich for r in katalog().values()}
    assert len(bereiche) >= 8
    assert not verstoesse([(b.kennung, t) for b in bereiche for t in (b.titel, b.text)])


def test_no_entry_is_dead():
    """Each id of the catalogue is written somewhere in the source (a rule nobody can report is no rule)."""
    quelltext = "\n".join(_quellen().values())
    tot = [k for k in katalog() if f'"{k}"' not in quelltext]
    assert not tot, f"Katalogeinträge, die keine Prüfung ausgibt: {tot}"


def test_the_catalogue_sits_below_templates():
    """Templates, validators and budget checks all make findings: the catalogue imports nothing else of pyxl."""
    for datei in KATALOG.glob("*.py"):
        for knoten in ast.walk(ast.parse(datei.read_text(encoding="utf-8"))):
            if isinstance(knoten, ast.ImportFrom) and (knoten.module or "").startswith("pyxl"):
                assert knoten.module.startswith("pyxl.pruefregeln"), f"{datei.name}: {knoten.module}"


def test_generated_rule_reference_is_current():
    datei = WURZEL / "docs" / "pruefregeln.md"
    assert datei.read_text(encoding="utf-8") == regelreferenz(), "docs/pruefregeln.md veraltet: pyxl doku"
