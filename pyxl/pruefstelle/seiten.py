"""The web desk's pages: German, accessible (landmarks, labels, headings, status in words), nothing from other hosts.

Every page works without JavaScript (plain forms); ``pruefstelle.js`` only adds the progress per file. Text from
uploads (file names) is escaped like in every report (:func:`pyxl.validators.ausgabe.html.escape`).
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

from pyxl import __version__
from pyxl.functions.zahlen import deutsch
from pyxl.validators.ausgabe.html import STIL, escape
from pyxl.validators.grenzen import MB, AnfrageGrenzen

BASIS = "/pruefen"
ENDUNGEN = (".xlsx", ".xlsm", ".csv", ".txt")
# the desk's own additions to the reports' style (one stylesheet for all its pages)
DESK_STIL = """header{display:flex;flex-wrap:wrap;gap:1rem;align-items:baseline;justify-content:space-between;
border-bottom:1px solid #666;margin-bottom:1rem}header p{margin:.3rem 0}
form.zeile{display:inline}fieldset{margin:1rem 0;padding:.5rem 1rem}legend{font-weight:bold}
label{display:block;font-weight:bold;margin:.5rem 0 .2rem}.hilfe{margin:.2rem 0;color:#333}
input[type=file],input[type=password]{font-size:1rem;padding:.3rem}
button{font-size:1rem;padding:.4rem 1rem;background:#004b87;color:#fff;border:2px solid #004b87;border-radius:3px}
button.schlicht{background:#fff;color:#004b87}
a{color:#004b87}:focus-visible{outline:3px solid #b36b00;outline-offset:2px}
.meldung{border-left:.4rem solid #b00020;padding:.3rem .8rem;background:#fdecee}
.hinweis{border-left:.4rem solid #005a9c;padding:.3rem .8rem;background:#eef5fb}
ul.dateien{padding-left:1.2rem}nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:1rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"""


def stil() -> str:
    return STIL + "\n" + DESK_STIL


def seite(titel: str, inhalt: str, nutzer: str | None = None, csrf: str | None = None, skript: bool = False) -> str:
    """A whole page: header (who is signed in, sign-out), one ``main`` with the ``h1``, footer."""
    abmelden = ""
    if nutzer and csrf:
        abmelden = (
            f'<form class="zeile" method="post" action="{BASIS}/abmelden">'
            f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
            '<button type="submit" class="schlicht">Abmelden</button></form>'
        )
    angemeldet = f"<p>Angemeldet als <strong>{escape(nutzer)}</strong> {abmelden}</p>" if nutzer else ""
    return "\n".join(
        [
            '<!DOCTYPE html>\n<html lang="de">\n<head>\n<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(titel)} – pyxl-Prüfstelle</title>",
            f'<link rel="stylesheet" href="{BASIS}/pruefstelle.css">',
            f'<script src="{BASIS}/pruefstelle.js" defer></script>' if skript else "",
            "</head>\n<body>",
            f'<header><p><a href="{BASIS}">pyxl-Prüfstelle</a></p>{angemeldet}</header>',
            f"<main>\n<h1>{escape(titel)}</h1>\n{inhalt}\n</main>",
            f"<footer><p>pyxl {escape(__version__)} – selbst betrieben; Hochgeladenes wird nach der Prüfung nur "
            "für die Aufbewahrungszeit gehalten und dann gelöscht.</p></footer>",
            "</body>\n</html>\n",
        ]
    )


def _meldung(text: str | None) -> str:
    return f'<p class="meldung" role="alert">{escape(text)}</p>' if text else ""


def anmeldung_token(csrf: str, fehler: str | None = None) -> str:
    inhalt = f"""{_meldung(fehler)}
<p>Die Prüfstelle ist nur für angemeldete Nutzerinnen und Nutzer. Den Zugangsschlüssel erhalten Sie von Ihrer IT.</p>
<form method="post" action="{BASIS}/anmelden">
<input type="hidden" name="csrf" value="{escape(csrf)}">
<label for="token">Zugangsschlüssel</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<p><button type="submit">Anmelden</button></p>
</form>"""
    return seite("Anmeldung", inhalt)


def anmeldung_oidc(fehler: str | None = None) -> str:
    inhalt = f"""{_meldung(fehler)}
<p>Die Prüfstelle ist nur für angemeldete Nutzerinnen und Nutzer. Sie melden sich beim Anmeldedienst Ihrer
Verwaltung an und kommen danach hierher zurück.</p>
<form method="get" action="{BASIS}/anmelden"><p><button type="submit">Beim Anmeldedienst anmelden</button></p></form>"""
    return seite("Anmeldung", inhalt)


def weiter(ziel: str, text: str) -> str:
    """After signing in at the issuer: a page of our own that leads on (a SameSite=Strict cookie set on the way back
    from another site is sent only from here on)."""
    inhalt = f'<p>{escape(text)}</p>\n<p><a href="{escape(ziel)}" id="weiter">Weiter zur Prüfstelle</a></p>'
    return seite("Angemeldet", inhalt).replace(
        "</head>", f'<meta http-equiv="refresh" content="0; url={escape(ziel)}">\n</head>', 1
    )


def hochladen(csrf: str, grenzen: AnfrageGrenzen, nutzer: str | None, fehler: str | None = None) -> str:
    endungen = ", ".join(ENDUNGEN)
    inhalt = f"""{_meldung(fehler)}
<p>Laden Sie eingereichte Vordrucke (pyxl-Vorlagen, <code>.xlsx</code>/<code>.xlsm</code>) und Haushaltstabellen
(<code>.csv</code>, <code>.txt</code>, <code>.xlsx</code>) hoch. Sie werden nach denselben Regeln geprüft wie mit
<code>pyxl pruefen</code> und <code>pyxl haushalt pruefen</code>; Sie erhalten eine Übersicht, je Datei einen
Prüfbericht und markierte Kopien.</p>
<form id="hochladen" method="post" action="{BASIS}" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{escape(csrf)}">
<fieldset>
<legend>Einreichungen</legend>
<label for="dateien">Dateien auswählen</label>
<input id="dateien" name="dateien" type="file" multiple required accept="{endungen}" aria-describedby="dateien-hilfe">
<p class="hilfe" id="dateien-hilfe">Eine oder mehrere Dateien ({escape(endungen)}); höchstens
{deutsch(grenzen.upload_dateien)} Dateien und {deutsch(grenzen.upload_gesamt // MB)} MB zusammen.</p>
</fieldset>
<fieldset>
<legend>Angaben des Landkreises (freiwillig)</legend>
<label for="anlage1">Anlage 1 der Satzung (CSV: Unternehmen;Teilnetz;Fahrplan-km)</label>
<input id="anlage1" name="anlage1" type="file" accept=".csv" aria-describedby="anlage1-hilfe">
<p class="hilfe" id="anlage1-hilfe">Mit ihr werden die Fahrplan-km der Trennungsrechnungen gegen Anlage 1 geprüft.</p>
</fieldset>
<p><button type="submit">Prüfen</button></p>
</form>
<section aria-labelledby="fortschritt-titel" id="fortschritt" hidden>
<h2 id="fortschritt-titel">Fortschritt</h2>
<p id="fortschritt-text" role="status" aria-live="polite"></p>
<ul class="dateien" id="fortschritt-liste"></ul>
</section>"""
    return seite("Einreichungen prüfen", inhalt, nutzer, csrf, skript=True)


def ergebnis(
    kennung: str,
    stand: dict,
    uebersicht: str | None,
    downloads: Iterable[tuple[str, str]],
    nutzer: str | None,
    csrf: str,
) -> str:
    """The result of one check: links first (new check, ZIP), then the overview (the same table as ``index.html``
    of ``pyxl pruefen --ausgabe``) and the downloads; while the check runs, its progress in words."""
    links = [f'<li><a href="{BASIS}">Neue Prüfung</a></li>']
    if uebersicht is not None:
        links.append(f'<li><a href="{BASIS}/vorgang/{kennung}/alles.zip" download>Alles als ZIP herunterladen</a></li>')
    teile = [f'<nav aria-label="Ergebnis"><ul>{"".join(links)}</ul></nav>']
    if uebersicht is None:
        fertig = sum(1 for d in stand.get("dateien", []) if d.get("status"))
        gesamt = stand.get("gesamt") or len(stand.get("dateien", []))
        teile.append(
            f'<p role="status">Die Prüfung läuft: {deutsch(fertig)} von {deutsch(gesamt)} Dateien geprüft. '
            f'<a href="{BASIS}/vorgang/{kennung}/">Seite aktualisieren</a></p>'
        )
    else:
        teile.append(uebersicht)
        eintraege = "".join(
            f'<li><a href="./{escape(quote(z))}" download>{escape(t)}</a></li>' for z, t in downloads
        )  # "./" and quoted: a name like "javascript:…" or "data:…" stays a file of this folder
        if eintraege:
            teile.append(f'<h2 id="downloads">Herunterladen</h2>\n<ul class="dateien">{eintraege}</ul>')
    return seite("Ergebnis der Prüfung", "\n".join(teile), nutzer, csrf)


def fehler(titel: str, text: str, nutzer: str | None = None, csrf: str | None = None) -> str:
    return seite(titel, f'{_meldung(text)}\n<p><a href="{BASIS}">Zur Prüfstelle</a></p>', nutzer, csrf)
