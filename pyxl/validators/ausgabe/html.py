"""The report as one standalone, accessible HTML page: headings, a captioned table, no scripts, no outside
resources, severity spelled out (never colour alone). Everything from the submission (file name included) is
escaped."""

from __future__ import annotations

from html import escape as _escape

from pyxl.functions.spur import anzeige
from pyxl.validators.ausgabe.formel import FORMELREGELN, deutsche_formel
from pyxl.validators.ausgabe.text import ort, sichtbar, uebersicht, zusammenfassung
from pyxl.validators.ausgabe.vermerk import vermerk
from pyxl.validators.befund import Befund, Bericht, Schwere

STIL = """body{font-family:"Liberation Sans",Arial,sans-serif;margin:2rem;color:#111;line-height:1.4}
table{border-collapse:collapse;width:100%}caption{text-align:left;font-weight:bold;margin:.5rem 0}
th,td{border:1px solid #666;padding:.3rem .5rem;vertical-align:top;text-align:left}th{background:#e6e6e6}
.error{border-left:.4rem solid #b00020}.warning{border-left:.4rem solid #b36b00}.info{border-left:.4rem solid #005a9c}
code{font-family:"Liberation Mono",monospace;font-size:.9em}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:bold}dd{margin:0}
.ref,.zahl{white-space:nowrap}.pfad{overflow-wrap:anywhere}.hash{min-width:17ch}
thead{display:table-header-group}tr{break-inside:avoid}
@page{size:A4 landscape;margin:15mm 12mm}
@media print{body{margin:0;font-size:9pt}table{table-layout:auto}details{display:block}
details>summary{list-style:none}th{background:none;border-bottom:2px solid #000}}"""


def escape(text: str) -> str:
    """HTML-escaped, control characters (escape sequences, bidi overrides) shown as escapes."""
    return _escape(sichtbar(text))


def eigenstaendig(titel: str, inhalt: str) -> str:
    """A whole standalone page (style inline, nothing loaded): the report and the overview ``index.html``."""
    return "\n".join(
        [
            '<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(titel)} – pyxl</title>",
            f"<style>{STIL}</style>",
            "</head>\n<body>\n<main>",
            f"<h1>{escape(titel)}</h1>",
            inhalt,
            "</main>\n</body>\n</html>\n",
        ]
    )


def seite(berichte: list[Bericht]) -> str:
    return eigenstaendig("Prüfbericht", "\n".join(_abschnitt(b, n) for n, b in enumerate(berichte, 1)))


def _abschnitt(bericht: Bericht, nummer: int) -> str:
    e = escape
    zeilen = [
        f'<section aria-labelledby="datei{nummer}">',
        f'<h2 id="datei{nummer}" class="pfad">{e(bericht.datei)}</h2>',
        "<dl>",
        f"<dt>Formular</dt><dd>{e(bericht.titel or bericht.formular or 'unbekannt')}</dd>",
        f"<dt>Version</dt><dd>{e(bericht.version or '–')}</dd>",
        f"<dt>Ergebnis</dt><dd>{e(zusammenfassung(bericht))}</dd>",
        # the record of the check (Prüfvermerk): the file's name and hash may wrap anywhere, a size never
        *(f'<dt>{e(k)}</dt><dd class="{_KLASSE[k]}">{e(v)}</dd>' for k, v in vermerk(bericht)),
        f"<dt>Geprüft mit</dt><dd>{e(bericht.regeln_text())}</dd>",
        "</dl>",
    ]
    if bericht.teile:
        zeilen.append(_uebersicht(bericht))
    if not bericht.befunde:
        zeilen.append("<p>Keine Befunde.</p>")
    else:
        zeilen.append(f"<table>\n<caption>Befunde zu {e(bericht.datei)}</caption>\n<thead><tr>")
        for spalte in ("Schwere", "Ort", "Meldung", "Erwartet", "Gefunden", "Regel", "Fundstelle"):
            zeilen.append(f'<th scope="col">{spalte}</th>')
        zeilen.append("</tr></thead>\n<tbody>")
        for b in bericht.befunde:
            zeilen.append(
                f'<tr class="{b.schwere.value}"><th scope="row">{b.schwere.deutsch}</th>'
                + f"<td>{_ort(b)}</td><td>{e(b.meldung or '')}{_rechenweg(b)}</td>"
                + "".join(f"<td>{_wert(b.regel, z)}</td>" if z else "<td></td>" for z in (b.erwartet, b.gefunden))
                + f"<td>{e(b.regel)}</td><td>{e(b.fundstelle or '')}</td></tr>"
            )
        zeilen.append("</tbody>\n</table>")
    zeilen.append("</section>")
    return "\n".join(zeilen)


_KLASSE = {"Geprüft am": "zahl", "Datei": "pfad", "Größe": "zahl", "SHA-256": "pfad", "Formular und Version": "zahl"}


def _ort(befund: Befund) -> str:
    """Where a finding is; the reference ``Blatt!Zelle`` is kept on one line (a sheet name may hold spaces)."""
    text = ort(befund)
    bezug = f"{befund.blatt}!{befund.zelle}" if befund.blatt and befund.zelle else None
    if not bezug or bezug not in text:
        return escape(text)
    vorher, _, nachher = text.rpartition(bezug)
    return f'{escape(vorher)}<span class="ref">{escape(bezug)}</span>{escape(nachher)}'


def _wert(regel: str, wert: str) -> str:
    """Expected or found: a formula in German (lines may break after an argument separator ``;``, never inside a
    number or reference), any other value on one line."""
    if regel in FORMELREGELN and wert.startswith("="):
        return "<code>" + ";<wbr>".join(escape(t) for t in deutsche_formel(wert).split(";")) + "</code>"
    return f'<code class="zahl">{escape(wert)}</code>'


def _rechenweg(befund: Befund) -> str:
    """How pyxl's expected value came about, folded (findings about a result only): steps, then parameters."""
    if not befund.erklaerung:
        return ""
    e = escape
    schritte = "".join(
        f"<li>{e(s['step'])} = {e(anzeige(s))} <small>[{e(s['clause'])}]</small></li>"
        for s in befund.erklaerung.get("trace", [])
    )
    parameter = "".join(
        f"<li>{e(g['name'])} = {e(anzeige(g))} <small>[{e(g['ref'])}; Ausgabe {e(g['edition'])}]</small></li>"
        for g in befund.erklaerung.get("parameters", [])
    )
    return (
        f"<details><summary>Rechenweg</summary><ol>{schritte}</ol>"
        + (f"<p>Parameter:</p><ul>{parameter}</ul>" if parameter else "")
        + "</details>"
    )


def _uebersicht(bericht: Bericht) -> str:
    """The overview of a file with many tables: one row per product and plan, its counts as numbers (the row of
    a table with errors is marked like an error, but the count says it)."""
    e = escape
    zeilen = [f"<table>\n<caption>{e(uebersicht(bericht))} – {e(bericht.datei)}</caption>\n<thead><tr>"]
    blaetter = any(t.blatt for t in bericht.teile)  # a column for the sheet where the file has sheets
    for spalte in ("Produkt", "Plan", *(("Blatt",) if blaetter else ()), "Schema", "Fehler", "Warnungen", "Hinweise"):
        zeilen.append(f'<th scope="col">{spalte}</th>')
    zeilen.append("</tr></thead>\n<tbody>")
    for teil in bericht.teile:
        schwerste = next((s for s in Schwere if teil.anzahl.get(s)), None)
        klasse = f' class="{schwerste.value}"' if schwerste in (Schwere.FEHLER, Schwere.WARNUNG) else ""
        zeilen.append(
            f'<tr{klasse}><th scope="row">{e(teil.produkt or "ohne Produktnummer")}</th>'
            + f"<td>{e(teil.plan or '')}</td>"
            + (f"<td>{e(teil.blatt or '')}</td>" if blaetter else "")
            + f"<td>{e(teil.zeilenschema or 'nicht erkannt')}</td>"
            + "".join(f'<td class="zahl">{teil.anzahl.get(s, 0)}</td>' for s in Schwere)
            + "</tr>"
        )
    zeilen.append("</tbody>\n</table>")
    return "\n".join(zeilen)
