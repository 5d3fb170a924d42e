// pyxl task pane and ribbon commands (Office.js). Sends the open workbook to the pyxl server as xlwings Book JSON
// — plus, per sheet, its formulas and, for the workbook, its custom document properties, which the check needs —
// and applies the actions the server answers with. Only the actions pyxl's scripts produce are implemented.

function meldung(text, fehler = false) {
  document.getElementById(fehler ? "fehler" : "status").textContent = text;
  document.getElementById(fehler ? "status" : "fehler").textContent = "";
}

async function arbeitsmappeLesen(context) {
  const mappe = context.workbook;
  mappe.load("name");
  const blaetter = mappe.worksheets;
  blaetter.load("items/name");
  const aktiv = blaetter.getActiveWorksheet().load("position");
  const namen = mappe.names.load("items/name,items/type");
  const eigenschaften = mappe.properties.custom.load("items/key,items/value");
  await context.sync();

  const bereiche = blaetter.items.map((blatt) => {
    const genutzt = blatt.getUsedRangeOrNullObject(false); // false: also formula cells that show ""
    genutzt.load("isNullObject");
    return { blatt, genutzt };
  });
  const bezuege = namen.items
    .filter((name) => name.type === "Range")
    .map((name) => ({ name: name.name, bereich: name.getRange().load("address"), blatt: name.getRange().worksheet.load("position") }));
  await context.sync();

  const inhalte = bereiche.map(({ blatt, genutzt }) => {
    if (genutzt.isNullObject) return { blatt, bereich: null };
    // from A1, so that row and column numbers in the arrays are the sheet's own
    const letzte = genutzt.getLastCell().load("address");
    return { blatt, letzte };
  });
  await context.sync();
  for (const eintrag of inhalte) {
    if (eintrag.letzte) {
      eintrag.bereich = eintrag.blatt.getRange("A1:" + eintrag.letzte.address.split("!").pop()).load("values,formulas");
    }
  }
  await context.sync();

  return {
    client: "Office.js",
    version: PYXL_XLWINGS_VERSION, // from custom-functions.js, filled in by the server
    book: { name: mappe.name, active_sheet_index: aktiv.position, selection: "A1" },
    names: bezuege.map((n) => ({
      name: n.name,
      sheet_index: n.blatt.position,
      address: n.bereich.address.split("!").pop(),
      scope_sheet_name: null,
      scope_sheet_index: null,
      book_scope: true,
    })),
    sheets: inhalte.map(({ blatt, bereich }) => ({
      name: blatt.name,
      values: bereich ? bereich.values : [[""]],
      formulas: bereich ? bereich.formulas : [[""]],
      pictures: [],
      tables: [],
    })),
    properties: Object.fromEntries(eigenschaften.items.map((p) => [p.key, p.value])),
  };
}

async function blattNr(context, nummer) {
  const blaetter = context.workbook.worksheets;
  blaetter.load("items");
  await context.sync();
  return blaetter.items[nummer];
}

async function bereichVon(context, aktion) {
  const blatt = await blattNr(context, aktion.sheet_position);
  return blatt.getRangeByIndexes(aktion.start_row, aktion.start_column, aktion.row_count, aktion.column_count);
}

// Office.js measures column widths in points; a character of the default font (Calibri 11) is about 5,6 pt wide
const PUNKT_JE_ZEICHEN = 5.6;

const AKTIONEN = {
  async addSheet(context, aktion) {
    const blatt = context.workbook.worksheets.add(aktion.args[1]);
    blatt.position = aktion.args[0];
  },
  async sheetClear(context, aktion) {
    (await blattNr(context, aktion.sheet_position)).getRange().clear();
  },
  async setValues(context, aktion) {
    (await bereichVon(context, aktion)).values = aktion.values;
  },
  async setRangeColor(context, aktion) {
    const bereich = await bereichVon(context, aktion);
    if (aktion.args[0] == null) bereich.format.fill.clear(); // no fill: the form's own look of a formula cell
    else bereich.format.fill.color = aktion.args[0];
  },
  async setFontProperty(context, aktion) {
    (await bereichVon(context, aktion)).format.font[aktion.args[0]] = aktion.args[1];
  },
  async addHyperlink(context, aktion) {
    const [ziel, text, tipp] = aktion.args;
    const verweis = ziel.startsWith("#") ? { documentReference: ziel.slice(1) } : { address: ziel };
    (await bereichVon(context, aktion)).hyperlink = { ...verweis, textToDisplay: text, screenTip: tipp };
  },
  async setSheetAutofit(context, aktion) {
    const bereich = (await blattNr(context, aktion.sheet_position)).getUsedRange();
    if (aktion.args[0] === "rows") bereich.format.autofitRows();
    else bereich.format.autofitColumns();
  },
  async activateSheet(context, aktion) {
    (await blattNr(context, aktion.args[0])).activate();
  },
  async pyxlInsertWorksheets(context, aktion) {
    context.workbook.insertWorksheetsFromBase64(aktion.args[0], { positionType: Excel.WorksheetPositionType.end });
  },
  async pyxlAddNames(context, aktion) {
    // [name, reference, hidden]: the defined names the form's formulas use (and its hidden row anchors)
    const namen = context.workbook.names;
    const vorhanden = aktion.args.map(([name]) => namen.getItemOrNullObject(name));
    await context.sync();
    aktion.args.forEach(([name, bezug, versteckt], i) => {
      if (vorhanden[i].isNullObject) {
        const neu = namen.add(name, "=" + bezug);
        neu.visible = !versteckt;
      }
    });
  },
  async pyxlDruckbild(context, aktion) {
    // the sheet "Prüfbericht" on paper as in the marked copy: column widths (characters), wrapped message
    // columns, A4 landscape, one page wide, the findings' header row on every page (ExcelApi 1.9)
    const [kopfzeile, breiten, umbrechen, zeilen] = aktion.args;
    const blatt = await blattNr(context, aktion.sheet_position);
    breiten.forEach((zeichen, spalte) => {
      blatt.getRangeByIndexes(0, spalte, 1, 1).format.columnWidth = zeichen * PUNKT_JE_ZEICHEN;
    });
    for (const spalte of umbrechen) {
      blatt.getRangeByIndexes(kopfzeile - 1, spalte, zeilen, 1).format.wrapText = true;
    }
    const seite = blatt.pageLayout;
    seite.orientation = "Landscape";
    seite.paperSize = "A4";
    seite.zoom = { horizontalFitToPages: 1, verticalFitToPages: 0 }; // 0: as many pages down as needed
    seite.printGridlines = true;
    seite.setPrintTitleRows(`$${kopfzeile}:$${kopfzeile}`);
  },
  async pyxlSetProperties(context, aktion) {
    const werte = aktion.args;
    for (let i = 0; i < werte.length; i += 2) {
      context.workbook.properties.custom.add(werte[i], werte[i + 1]);
    }
  },
};

// Office.js comes from Microsoft's CDN and gives Excel's API only inside Excel: opened in a browser, or with the
// CDN blocked, "Excel" is missing and the browser would say "Excel is not defined".
const OHNE_EXCEL =
  "Office.js nicht geladen oder Seite außerhalb von Excel geöffnet – bitte den Aufgabenbereich in Excel öffnen " +
  "(Add-in pyxl); im Browser wirken die Schaltflächen nicht.";

function excelPruefen() {
  if (typeof Excel === "undefined" || typeof Excel.run !== "function") throw new Error(OHNE_EXCEL);
}

async function serverAnfrage(pfad, daten) {
  // POST to this pyxl server with the stored sign-in; the answer's JSON, or an Error with the server's German text
  let antwort;
  try {
    antwort = await fetch(window.location.origin + pfad, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: await pyxlAnmeldung() },
      body: JSON.stringify(daten),
    });
  } catch (_) {
    // the browser's own words ("Failed to fetch") are English and name no cause
    throw new Error("pyxl-Server nicht erreichbar – bitte Netzwerkverbindung prüfen oder die IT fragen.");
  }
  const text = await antwort.text();
  if (!antwort.ok) {
    let meldungstext = text;
    try {
      meldungstext = JSON.parse(text).detail || text;
    } catch (_) {
      // plain German text
    }
    if (antwort.status === 401 && pyxlServer && pyxlServer.oidc && !/anmelden/.test(meldungstext)) {
      meldungstext += " – bitte unter „Anmeldung“ anmelden.";
    }
    throw new Error(meldungstext);
  }
  return JSON.parse(text);
}

async function skriptAusfuehren(name, argumente = []) {
  excelPruefen();
  await Excel.run(async (context) => {
    const daten = await arbeitsmappeLesen(context);
    daten.args = argumente;
    const antwort = await serverAnfrage("/xlwings/custom-scripts-call/" + name, daten);
    for (const aktion of antwort.actions) {
      const ausfuehren = AKTIONEN[aktion.func];
      if (!ausfuehren) throw new Error("Unbekannte Aktion vom Server: " + aktion.func);
      await ausfuehren(context, aktion);
      await context.sync();
    }
  });
}

const FERTIG = {
  vorlage_pruefen: "Prüfung abgeschlossen: siehe Blatt „Prüfbericht“.",
  neue_vorlage: "Vorlage eingefügt.",
  beispiel_laden: "Beispiel eingetragen.",
};

function fehlertext(fehler) {
  // JavaScript's own errors (TypeError, ReferenceError, …) are English and meant for developers: the console
  // gets them, the clerk a German sentence. pyxl's and Office's messages (German in German Office) pass on.
  if (fehler instanceof EvalError || fehler instanceof RangeError || fehler instanceof ReferenceError ||
      fehler instanceof SyntaxError || fehler instanceof TypeError) {
    console.error("pyxl:", fehler);
    return "Interner Fehler im Aufgabenbereich – bitte an die IT melden (Einzelheiten in der Entwicklerkonsole).";
  }
  return (fehler && fehler.message) || String(fehler);
}

async function knopfGedrueckt(knopf) {
  const skript = knopf.dataset.skript;
  const argumente = skript === "neue_vorlage" ? [document.getElementById("formular").value] : [];
  knopf.disabled = true;
  meldung("Bitte warten …");
  try {
    await skriptAusfuehren(skript, argumente);
    meldung(FERTIG[skript]);
  } catch (fehler) {
    meldung(fehlertext(fehler), true);
  } finally {
    knopf.disabled = false;
  }
}

// ---- Rechenweg der markierten Zelle ----------------------------------------------------------------------------
// Reads the selected cell's formula, finds the pyxl function it calls, resolves the arguments and shows the trace
// the server records (POST /pyxl/erklaeren). Office.js gives `formulas` in English syntax whatever Excel's
// language ("," between arguments, "." as decimal point, English function names) — that one is parsed;
// `formulasLocal` (what the clerk sees: "=PYXL.KZ_ANTEIL(A1;B1)") only names the arguments in messages.
// Resolved: numbers, texts, TRUE/FALSE, array constants, cell and range references (also on other sheets) and
// names of cell ranges, read as Excel passes them to the function. Anything else — a nested formula, a whole
// column, another workbook — is named in German, never guessed.

const KEINE_PYXL_FUNKTION = "Die markierte Zelle enthält keine pyxl-Funktion";
const ZAHL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:E[+-]?\d+)?%?$/i;
const TEXT = /^"(?:[^"]|"")*"$/;
const ZELLEN = "\\$?[A-Z]{1,3}\\$?\\d+(?::\\$?[A-Z]{1,3}\\$?\\d+)?";
// Blatt!A1, 'Blatt 2'!A1:B3 or A1 — the sheet's name unquoted (letters, digits, _ and .) or quoted ('' for ')
const BEZUG = new RegExp("^(?:'((?:[^']|'')+)'!|([\\p{L}\\p{N}_.]+)!)?(" + ZELLEN + ")$", "iu");
const NAME = /^[\p{L}_\\][\p{L}\p{N}_.\\?]*$/u;

function argumenteTeilen(text, start, trenner) {
  // The arguments of the call whose "(" ends before `start`, split at `trenner` outside brackets, texts and
  // quoted sheet names; with the index of the closing ")". null if it never closes.
  const teile = [];
  let tiefe = 0;
  let anfang = start;
  for (let i = start; i < text.length; i++) {
    const z = text[i];
    if (z === '"' || z === "'") {
      for (i++; i < text.length; i++) {
        if (text[i] === z) {
          if (text[i + 1] === z) i++; // doubled: the quote itself
          else break;
        }
      }
    } else if (z === "(" || z === "{" || z === "[") {
      tiefe++;
    } else if (z === ")" || z === "}" || z === "]") {
      if (tiefe === 0) {
        if (z !== ")") return null;
        teile.push(text.slice(anfang, i).trim());
        return { teile: teile.length === 1 && teile[0] === "" ? [] : teile, ende: i };
      }
      tiefe--;
    } else if (z === trenner && tiefe === 0) {
      teile.push(text.slice(anfang, i).trim());
      anfang = i + 1;
    }
  }
  return null;
}

function pyxlAufrufMuster(anfang) {
  // a call in the add-in's namespace (custom-functions.js, as in the manifest): PYXL.NAME( or, as a file stores
  // a custom function, _xldudf_PYXL_NAME(
  const raum = typeof PYXL_NAMENSRAUM === "undefined" ? "PYXL" : PYXL_NAMENSRAUM;
  return new RegExp(anfang + "(?:" + raum + "\\.|_xldudf_" + raum + "_)([A-Z][A-Z0-9_]*)\\s*\\(", "i");
}

function aufrufZerlegen(formel, trenner = ",") {
  // {name, argumente} if the formula's outermost call is a pyxl function (=PYXL.NAME(…), =@PYXL.NAME(…)), else null
  if (typeof formel !== "string") return null;
  const text = formel.trim();
  const kopf = pyxlAufrufMuster("^=\\s*@?\\s*").exec(text);
  if (!kopf) return null;
  const name = kopf[1].toUpperCase();
  if (typeof PYXL_FUNKTIONEN !== "undefined" && !PYXL_FUNKTIONEN.includes(name)) return null;
  const teilung = argumenteTeilen(text, kopf[0].length, trenner);
  if (!teilung || text.slice(teilung.ende + 1).trim() !== "") return null; // e.g. =PYXL.KZ_ANTEIL(A1,B1)*2
  return { name, argumente: teilung.teile };
}

function konstante(text) {
  // {wert} for a constant as the English formula writes it, else null
  if (text === "") return { wert: null }; // an omitted argument
  if (ZAHL.test(text)) {
    const prozent = text.endsWith("%");
    const zahl = Number(prozent ? text.slice(0, -1) : text);
    return { wert: prozent ? zahl / 100 : zahl };
  }
  if (TEXT.test(text)) return { wert: text.slice(1, -1).replace(/""/g, '"') };
  if (/^(?:TRUE|FALSE)$/i.test(text)) return { wert: text.toUpperCase() === "TRUE" };
  if (text.startsWith("{") && text.endsWith("}")) {
    // an array constant: "," between columns, ";" between rows
    const zeilen = text.slice(1, -1).split(";").map((zeile) => zeile.split(",").map((z) => konstante(z.trim())));
    if (zeilen.every((zeile) => zeile.every((z) => z && z.wert !== null && !Array.isArray(z.wert)))) {
      return { wert: zeilen.map((zeile) => zeile.map((z) => z.wert)) };
    }
  }
  return null;
}

function nichtAufloesbar(nummer, gezeigt) {
  return new Error(
    `Argument ${nummer} („${gezeigt}“) kann der Aufgabenbereich nicht auflösen: gelesen werden Zahlen, Texte, ` +
      "Zellen, Zellbereiche und Namen von Zellbereichen, keine Formeln – bitte den Wert in eine eigene Zelle " +
      "schreiben und auf diese Zelle verweisen."
  );
}

async function argumenteAufloesen(context, zelle, aufruf, gezeigt) {
  // Every argument as Office.js passes it to a custom function: a value, or a range as rows of cells
  const argumente = aufruf.argumente.map((text, i) => {
    const nummer = i + 1;
    const fest = konstante(text);
    if (fest) return { nummer, wert: fest.wert };
    const bezug = BEZUG.exec(text);
    if (bezug) {
      const blatt = bezug[1] !== undefined ? bezug[1].replace(/''/g, "'") : bezug[2];
      if (blatt !== undefined && /[[\]:]/.test(blatt)) throw nichtAufloesbar(nummer, gezeigt[i]); // other workbook, 3-D
      const tabelle = blatt === undefined ? null : context.workbook.worksheets.getItemOrNullObject(blatt);
      if (tabelle) tabelle.load("isNullObject");
      return { nummer, blatt, tabelle, adresse: bezug[3] };
    }
    if (NAME.test(text)) {
      // a name of a cell range: the sheet's own first, then the workbook's
      const eigener = zelle.worksheet.names.getItemOrNullObject(text).load("isNullObject,type");
      const mappe = context.workbook.names.getItemOrNullObject(text).load("isNullObject,type");
      return { nummer, name: text, eigener, mappe };
    }
    throw nichtAufloesbar(nummer, gezeigt[i]);
  });
  await context.sync();

  for (const a of argumente) {
    if ("wert" in a) continue;
    if (a.name !== undefined) {
      const gefunden = [a.eigener, a.mappe].find((n) => !n.isNullObject);
      if (!gefunden || gefunden.type !== "Range") throw nichtAufloesbar(a.nummer, gezeigt[a.nummer - 1]);
      a.bereich = gefunden.getRange();
    } else if (a.tabelle && a.tabelle.isNullObject) {
      throw new Error(`Argument ${a.nummer} („${gezeigt[a.nummer - 1]}“): Blatt „${a.blatt}“ nicht gefunden.`);
    } else {
      a.bereich = (a.tabelle || zelle.worksheet).getRange(a.adresse);
    }
    a.bereich.load("address,cellCount");
  }
  await context.sync();

  for (const a of argumente) {
    if (!a.bereich) continue;
    if (a.bereich.cellCount > PYXL_HOECHSTENS_ZELLEN) {
      throw new Error(
        `Argument ${a.nummer} („${gezeigt[a.nummer - 1]}“) umfasst ${deutscheZahl(String(a.bereich.cellCount))} ` +
          `Zellen – für den Rechenweg höchstens ${deutscheZahl(String(PYXL_HOECHSTENS_ZELLEN))}: bitte nur den ` +
          "benutzten Bereich angeben."
      );
    }
    a.bereich.load("values,valueTypes");
  }
  await context.sync();

  return argumente.map((a) => {
    if (!a.bereich) return { text: gezeigt[a.nummer - 1], wert: a.wert };
    const stelle = a.bereich.valueTypes.flat().indexOf("Error");
    if (stelle >= 0) {
      const fehlerwert = a.bereich.values.flat()[stelle];
      throw new Error(
        `Argument ${a.nummer} („${gezeigt[a.nummer - 1]}“): eine Zelle zeigt den Fehler ${fehlerwert} – ` +
          "die Funktion rechnet erst, wenn er behoben ist."
      );
    }
    return { text: gezeigt[a.nummer - 1], adresse: a.bereich.address, wert: a.bereich.values };
  });
}

function ausExponent(text) {
  // "1E+3" (a Decimal as Python writes it) → "1000"
  const t = /^(-?)(\d+)(?:\.(\d+))?E([+-]?\d+)$/i.exec(text);
  if (!t) return text;
  const ziffern = t[2] + (t[3] || "");
  const punkt = t[2].length + Number(t[4]);
  if (punkt <= 0) return t[1] + "0." + "0".repeat(-punkt) + ziffern;
  if (punkt >= ziffern.length) return t[1] + ziffern + "0".repeat(punkt - ziffern.length);
  return t[1] + ziffern.slice(0, punkt) + "." + ziffern.slice(punkt);
}

function deutscheZahl(wert) {
  // A value of the server's JSON (Decimals as text: "1406250.00") as a German reads it: "1.406.250,00"
  if (Array.isArray(wert)) return wert.map(deutscheZahl).join("; ");
  if (wert === null || wert === undefined || wert === "") return "leer";
  if (typeof wert === "boolean") return wert ? "ja" : "nein";
  const text = ausExponent(String(wert));
  const zahl = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (zahl) {
    const null_ = /^0*$/.test(zahl[2] + (zahl[3] || "")); // −0,00 reads as 0,00
    return (null_ ? "" : zahl[1]) + zahl[2].replace(/\B(?=(\d{3})+(?!\d))/g, ".") + (zahl[3] ? "," + zahl[3] : "");
  }
  const datum = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (datum) return `${datum[3]}.${datum[2]}.${datum[1]}`;
  return text;
}

function wertAnzeige(wert, art, arten) {
  // A trace value by the kind the server states: years and counts as plain digits, texts never read as numbers
  if (art === "liste" && Array.isArray(wert)) return wert.map((w, i) => wertAnzeige(w, (arten || [])[i])).join("; ");
  if (art === "text") return String(wert);
  if (art === "ganzzahl") return String(wert);
  return deutscheZahl(wert);
}

function element(tag, text, attribute = {}) {
  // text only as textContent: nothing the server or a cell says becomes markup
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  for (const [name, wert] of Object.entries(attribute)) e.setAttribute(name, wert);
  return e;
}

function eingabeText(eingabe) {
  if (eingabe.adresse === undefined) return eingabe.text === "" ? "ausgelassen" : `${eingabe.text} (fester Wert)`;
  const zellen = eingabe.wert.flat();
  const werte = zellen.slice(0, 5).map(deutscheZahl).join("; ") + (zellen.length > 5 ? "; …" : "");
  const wo = eingabe.adresse.replace(/\$/g, "");
  const ort = wo === eingabe.text.replace(/\$/g, "") ? [] : [wo]; // A1 on the cell's sheet: say which sheet
  const angabe = zellen.length === 1 ? ort : [`${deutscheZahl(String(zellen.length))} Zellen`, ...ort];
  return `${eingabe.text} = ${werte}` + (angabe.length ? ` (${angabe.join(", ")})` : "");
}

function rechenwegDarstellen(ziel, zelle, formel, eingaben, antwort) {
  const teile = [];
  const kopf = element("p");
  kopf.append(element("strong", `Zelle ${zelle}: `), element("code", formel));
  teile.push(kopf);
  teile.push(element("h3", `Ergebnis: ${deutscheZahl(antwort.value)} ${antwort.unit}`));
  teile.push(element("p", `${antwort.function} nach ${antwort.clause}`));
  if (eingaben.length) {
    teile.push(element("h3", "Eingaben"));
    const liste = element("ol");
    for (const eingabe of eingaben) liste.append(element("li", eingabeText(eingabe)));
    teile.push(liste);
  }
  teile.push(element("h3", "Rechenschritte"));
  const schritte = element("ol", undefined, { class: "rechenschritte" });
  for (const s of antwort.trace || []) {
    const punkt = element("li");
    punkt.append(element("span", `${s.step} = ${wertAnzeige(s.value, s.kind, s.kinds)}`), element("span", ` (${s.clause})`, { class: "klausel" }));
    schritte.append(punkt);
  }
  teile.push(schritte);
  if ((antwort.notes || []).length) {
    teile.push(element("h3", "Hinweise der Regel"));
    const liste = element("ul");
    for (const hinweis of antwort.notes) liste.append(element("li", hinweis));
    teile.push(liste);
  }
  const parameter = antwort.parameters || [];
  if (parameter.length) {
    const tabelle = element("table");
    tabelle.append(element("caption", "Gelesene Parameter"));
    const kopfzeile = element("tr");
    for (const spalte of ["Parameter", "Wert", "Ausgabe", "Fundstelle"]) kopfzeile.append(element("th", spalte, { scope: "col" }));
    const thead = element("thead");
    thead.append(kopfzeile);
    const tbody = element("tbody");
    for (const p of parameter) {
      const zeile = element("tr");
      zeile.append(element("th", p.name, { scope: "row" }), element("td", wertAnzeige(p.value, p.kind, p.kinds)), element("td", p.edition), element("td", p.ref));
      tbody.append(zeile);
    }
    tabelle.append(thead, tbody);
    teile.push(tabelle);
  } else {
    teile.push(element("p", "Gelesene Parameter: keine."));
  }
  teile.push(element("h3", "Regeln"));
  if ((antwort.rules || []).length) {
    const liste = element("ul");
    for (const r of antwort.rules) {
      const gueltig = r.valid_to ? `gültig ${deutscheZahl(r.valid_from)} bis ${deutscheZahl(r.valid_to)}` : `gültig ab ${deutscheZahl(r.valid_from)}`;
      liste.append(element("li", `${r.edition}, ${gueltig}, Prüfsumme ${String(r.hash).slice(0, 12)}`));
    }
    teile.push(liste);
  } else {
    teile.push(element("p", "Die Funktion nennt keine Ausgabe von Regeln."));
  }
  teile.push(element("p", `Berechnet mit pyxl ${antwort.pyxl_version} auf dem pyxl-Server, mit den Werten, die die Zellen jetzt zeigen.`));
  ziel.replaceChildren(...teile);
}

async function rechenwegErmitteln() {
  // {zelle, formel, eingaben, antwort} for the selected cell (the first one of a selection)
  excelPruefen();
  return await Excel.run(async (context) => {
    const zelle = context.workbook.getSelectedRange().getCell(0, 0).load("address,formulas,formulasLocal");
    await context.sync();
    const formel = zelle.formulas[0][0];
    const lokal = zelle.formulasLocal[0][0];
    const aufruf = aufrufZerlegen(formel);
    if (!aufruf) {
      const innen = typeof formel === "string" && formel.startsWith("=") && pyxlAufrufMuster("").test(formel);
      throw new Error(
        KEINE_PYXL_FUNKTION +
          (innen
            ? " als äußersten Aufruf: der Rechenweg erklärt eine pyxl-Funktion, die allein in ihrer Zelle steht " +
              "(z. B. =PYXL.KZ_ANTEIL(A1;B1)) – bitte den Teil mit der pyxl-Funktion in eine eigene Zelle schreiben."
            : ` (Zelle ${zelle.address}).`)
      );
    }
    // the arguments as the clerk sees them, where the local formula splits into as many
    const gesehen = [";", ","].map((t) => aufrufZerlegen(lokal, t)).find((z) => z && z.argumente.length === aufruf.argumente.length);
    const gezeigt = gesehen ? gesehen.argumente : aufruf.argumente;
    const eingaben = await argumenteAufloesen(context, zelle, aufruf, gezeigt);
    const antwort = await serverAnfrage("/pyxl/erklaeren", { formel, argumente: eingaben.map((e) => e.wert) });
    return { zelle: zelle.address, formel: lokal, eingaben, antwort };
  });
}

async function rechenwegGedrueckt(knopf) {
  const ziel = document.getElementById("rechenweg");
  knopf.disabled = true;
  meldung("Bitte warten …");
  try {
    const { zelle, formel, eingaben, antwort } = await rechenwegErmitteln();
    rechenwegDarstellen(ziel, zelle, formel, eingaben, antwort);
    meldung(`Rechenweg für ${zelle} angezeigt.`);
  } catch (fehler) {
    const text = fehlertext(fehler);
    ziel.replaceChildren(element("p", text, { class: "hinweis" }));
    meldung(text, true);
  } finally {
    knopf.disabled = false;
  }
}

// ---- Anmeldung beim Anmeldedienst (OIDC im Office-Dialog) und Version des Servers ------------------------------
// The server names its version and, with an OIDC issuer in the own data centre, the public client's parameters
// (GET /pyxl/anmeldung.json, no secret in it). "Anmelden" opens anmeldung.html in Office's dialog: authorization
// code flow with PKCE (S256). Verifier, state and nonce are made here, and the verifier never leaves this runtime;
// the dialog hands back code and state, and this pane exchanges the code at the issuer's token endpoint itself
// (the issuer must allow this server's origin — Keycloak: "Web Origins"). The tokens stay in this runtime's memory
// (pyxlZugang, read by the custom functions too), never in localStorage, and are renewed with the refresh token
// before they expire. "Abmelden" forgets them and revokes the refresh token where the issuer offers that.

let pyxlServer = null; // the answer of /pyxl/anmeldung.json
let oidcRefresh = null; // the refresh token: memory only
let oidcTimer = null;
let oidcLaufend = null; // the renewal under way: the issuer takes each refresh token once
let oidcSitzung = 0; // counts sign-outs: a renewal answered after one is not taken
const OIDC_ABGELAUFEN = "Anmeldung abgelaufen – bitte unter „Anmeldung“ neu anmelden.";

function base64url(bytes) {
  let text = "";
  for (const b of new Uint8Array(bytes)) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function zufall(anzahl) {
  return base64url(crypto.getRandomValues(new Uint8Array(anzahl)));
}

async function s256(text) {
  return base64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

function tokenAngaben(token) {
  // a token's claims, to show the name and compare the nonce — the server checks signature, issuer and expiry
  try {
    const teil = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(teil), (z) => z.charCodeAt(0))));
  } catch (_) {
    return {};
  }
}

function versionTeile(version) {
  return String(version).split(".").map((teil) => parseInt(teil, 10) || 0);
}

function versionAnzeige(version) {
  // the manifest's four parts ("0.1.0.0") as pyxl numbers its versions ("0.1.0")
  const teile = String(version).split(".");
  return teile.length === 4 && teile[3] === "0" ? teile.slice(0, 3).join(".") : String(version);
}

function versionshinweis(manifest, server) {
  // "" if the manifest Excel loaded (its version is in the task pane's address: ?v=…) matches the server
  if (!manifest || !server) return "";
  const a = versionTeile(manifest);
  const b = versionTeile(server);
  let vergleich = 0;
  for (let i = 0; i < Math.max(a.length, b.length) && !vergleich; i++) vergleich = Math.sign((a[i] || 0) - (b[i] || 0));
  const beide = `(Manifest ${versionAnzeige(manifest)}, Server ${server})`;
  if (vergleich < 0) {
    return `Das Add-in in Excel ist älter als der Server ${beide} – bitte die IT, das Manifest neu zu verteilen ` +
      `(${window.location.origin}/manifest.xml); bis dahin fehlen hier womöglich neue Schaltflächen oder Funktionen.`;
  }
  if (vergleich > 0) return `Das Add-in in Excel ist neuer als der Server ${beide} – bitte die IT, den pyxl-Server zu aktualisieren.`;
  return "";
}

async function serverAngabenLaden() {
  const zeile = document.getElementById("version");
  try {
    pyxlServer = await (await fetch(window.location.origin + "/pyxl/anmeldung.json", { cache: "no-store" })).json();
  } catch (_) {
    zeile.textContent = "pyxl-Server nicht erreichbar – Version unbekannt.";
    return;
  }
  const manifest = new URLSearchParams(window.location.search || "").get("v");
  zeile.textContent = `pyxl-Server ${pyxlServer.version}` + (manifest ? `, Add-in (Manifest) ${versionAnzeige(manifest)}` : "");
  const hinweis = document.getElementById("versionshinweis");
  hinweis.textContent = versionshinweis(manifest, pyxlServer.version);
  hinweis.hidden = !hinweis.textContent;
  if (pyxlServer.fehler) document.getElementById("anmeldestand").textContent = pyxlServer.fehler;
}

function anmeldestandZeigen() {
  document.getElementById("anmeldestand").textContent = pyxlZugang ? `Angemeldet als ${pyxlZugang.nutzer}.` : "Nicht angemeldet.";
  document.getElementById("anmelden").hidden = Boolean(pyxlZugang);
  document.getElementById("abmelden").hidden = !pyxlZugang;
}

function dialogOeffnen(adresse) {
  // the message the dialog sends back (a string), or an Error in German
  return new Promise((fertig, fehlschlag) => {
    Office.context.ui.displayDialogAsync(adresse, { height: 60, width: 30 }, (ergebnis) => {
      if (ergebnis.status === Office.AsyncResultStatus.Failed) {
        const nummer = ergebnis.error.code; // 12007: a dialog is already open; 12009: the clerk declined it
        fehlschlag(new Error(`Das Anmeldefenster ließ sich nicht öffnen (Office-Fehler ${nummer}) – bitte erneut versuchen.`));
        return;
      }
      const dialog = ergebnis.value;
      dialog.addEventHandler(Office.EventType.DialogMessageReceived, (ereignis) => {
        if (ereignis.origin && ereignis.origin !== window.location.origin) return; // only our own anmeldung.html
        dialog.close();
        fertig(ereignis.message);
      });
      dialog.addEventHandler(Office.EventType.DialogEventReceived, (ereignis) => {
        const nummer = ereignis.error; // 12006: closed by the clerk; 12002/12003: page not reachable or not https
        fehlschlag(new Error(nummer === 12006
          ? "Anmeldung abgebrochen: das Anmeldefenster wurde geschlossen."
          : `Das Anmeldefenster meldet den Office-Fehler ${nummer} – bitte erneut anmelden.`));
      });
    });
  });
}

async function tokenAnfrage(o, felder) {
  // POST to the issuer's token endpoint (form fields: a simple request, no preflight); its JSON or a German Error
  let antwort;
  try {
    antwort = await fetch(o.token_endpoint, { method: "POST", body: new URLSearchParams(felder) });
  } catch (_) {
    const fehler = new Error(`Anmeldedienst ${o.issuer} nicht erreichbar – oder er lässt diesen Server nicht zu ` +
      "(Web Origins): bitte die IT fragen.");
    fehler.voruebergehend = true;
    throw fehler;
  }
  const daten = await antwort.json().catch(() => ({}));
  if (!antwort.ok || !daten.access_token) {
    const grund = daten.error || antwort.status; // invalid_grant: code or refresh token used up or expired
    throw new Error(`Der Anmeldedienst lehnt ab (${grund}) – bitte erneut anmelden.`);
  }
  return daten;
}

function zugangUebernehmen(o, antwort) {
  const sekunden = Number(antwort.expires_in) > 0 ? Number(antwort.expires_in) : 300;
  const angaben = tokenAngaben(antwort.id_token || antwort.access_token);
  const nutzer = angaben.preferred_username || angaben.name || angaben.sub || (pyxlZugang && pyxlZugang.nutzer) || "unbekannt";
  // renewed a fifth of its lifetime (at most a minute) before it expires; without a refresh token, forgotten then
  const bis = Math.max(1, sekunden - Math.min(60, Math.ceil(sekunden / 5))) * 1000;
  pyxlZugang = { token: antwort.access_token, faellig: Date.now() + bis, ablauf: Date.now() + sekunden * 1000, nutzer, erneuern: oidcErneuern };
  oidcRefresh = antwort.refresh_token || null;
  clearTimeout(oidcTimer);
  oidcTimer = setTimeout(() => oidcErneuern().catch(() => {}), bis);
  anmeldestandZeigen();
}

function oidcVergessen() {
  oidcSitzung++;
  clearTimeout(oidcTimer);
  oidcTimer = null;
  pyxlZugang = null;
  oidcRefresh = null;
  anmeldestandZeigen();
}

async function oidcAnmelden() {
  const o = pyxlServer && pyxlServer.oidc;
  if (!o) throw new Error((pyxlServer && pyxlServer.fehler) || "Der pyxl-Server nennt keinen Anmeldedienst.");
  if (typeof Office === "undefined" || !Office.context || !Office.context.ui) throw new Error(OHNE_EXCEL);
  const verifier = zufall(32); // 43 characters (RFC 7636), only in this function
  const state = zufall(16);
  const nonce = zufall(16);
  const parameter = new URLSearchParams({ state, nonce, code_challenge: await s256(verifier) });
  const nachricht = JSON.parse(await dialogOeffnen(`${window.location.origin}/anmeldung.html?${parameter}`));
  if (nachricht.state !== state) {
    throw new Error("Anmeldung abgelehnt: die Antwort des Anmeldedienstes gehört nicht zu dieser Anmeldung.");
  }
  if (!nachricht.code) throw new Error(`Der Anmeldedienst hat nicht angemeldet (${nachricht.fehler || "ohne Angabe"}).`);
  const antwort = await tokenAnfrage(o, {
    grant_type: "authorization_code",
    code: nachricht.code,
    redirect_uri: o.redirect_uri,
    client_id: o.client_id,
    code_verifier: verifier,
  });
  if (tokenAngaben(antwort.id_token || "").nonce !== nonce) {
    throw new Error("Anmeldung abgelehnt: das ID-Token gehört nicht zu dieser Anmeldung.");
  }
  zugangUebernehmen(o, antwort);
}

function oidcErneuern() {
  // one renewal at a time; calls arriving meanwhile wait for it
  if (!oidcLaufend) {
    oidcLaufend = oidcErneuernJetzt().finally(() => {
      oidcLaufend = null;
    });
  }
  return oidcLaufend;
}

async function oidcErneuernJetzt() {
  const o = pyxlServer && pyxlServer.oidc;
  if (!o || !oidcRefresh) {
    if (pyxlZugang) meldung(OIDC_ABGELAUFEN, true);
    oidcVergessen();
    throw new Error(OIDC_ABGELAUFEN);
  }
  const sitzung = oidcSitzung;
  try {
    const antwort = await tokenAnfrage(o, { grant_type: "refresh_token", refresh_token: oidcRefresh, client_id: o.client_id });
    if (sitzung !== oidcSitzung) {
      widerrufen(o, antwort.refresh_token); // signed out meanwhile
      throw new Error("Abgemeldet.");
    }
    zugangUebernehmen(o, antwort);
  } catch (fehler) {
    if (sitzung !== oidcSitzung) throw fehler;
    const rest = pyxlZugang ? pyxlZugang.ablauf - Date.now() : 0;
    if (fehler.voruebergehend && rest > 15000) {
      // the issuer briefly unreachable: once more while the token still holds
      clearTimeout(oidcTimer);
      oidcTimer = setTimeout(() => oidcErneuern().catch(() => {}), Math.min(10000, rest / 2));
    } else {
      oidcVergessen();
      meldung(OIDC_ABGELAUFEN, true);
    }
    throw fehler;
  }
}

async function widerrufen(o, refresh) {
  if (!o.revocation_endpoint || !refresh) return;
  try {
    await fetch(o.revocation_endpoint, {
      method: "POST",
      body: new URLSearchParams({ token: refresh, token_type_hint: "refresh_token", client_id: o.client_id }),
    });
  } catch (_) {
    // forgotten here all the same; the issuer ends its session by its own timeout
  }
}

function oidcAbmelden() {
  // forgets at once; the revocation at the issuer follows on its own
  const o = pyxlServer && pyxlServer.oidc;
  const refresh = oidcRefresh;
  oidcVergessen();
  if (o) widerrufen(o, refresh);
}

function anmeldungEinrichten() {
  const anmelden = document.getElementById("anmelden");
  const abmelden = document.getElementById("abmelden");
  anmelden.addEventListener("click", async () => {
    anmelden.disabled = true;
    meldung("Anmeldefenster geöffnet – bitte dort anmelden.");
    try {
      await oidcAnmelden();
      meldung(`Angemeldet als ${pyxlZugang.nutzer}.`);
      abmelden.focus(); // the button pressed is hidden now
    } catch (fehler) {
      meldung(fehlertext(fehler), true);
    } finally {
      anmelden.disabled = false;
    }
  });
  abmelden.addEventListener("click", () => {
    oidcAbmelden();
    meldung("Abgemeldet.");
    anmelden.focus();
  });
  serverAngabenLaden().catch((fehler) => console.error("pyxl:", fehler));
}

function seiteEinrichten() {
  if (window.location.hash === "#funktionen") {
    document.getElementById("funktionsliste").open = true; // a link straight to the function list
  }
  // the list box shows short names (cut at the pane's width); the line under it names the chosen form in full
  const formular = document.getElementById("formular");
  formular.addEventListener("change", () => {
    const gewaehlt = formular.options[formular.selectedIndex];
    document.getElementById("formularname").textContent = gewaehlt ? gewaehlt.title : "";
  });
  for (const knopf of document.querySelectorAll("button[data-skript]")) {
    knopf.addEventListener("click", () => knopfGedrueckt(knopf));
  }
  const rechenweg = document.getElementById("rechenweg-zeigen");
  rechenweg.addEventListener("click", () => rechenwegGedrueckt(rechenweg));
  const feld = document.getElementById("token");
  document.getElementById("token-speichern").addEventListener("click", () => {
    localStorage.setItem("pyxl-token", feld.value.trim());
    feld.value = "";
    meldung("Zugangsschlüssel gespeichert.");
  });
  anmeldungEinrichten();
}

document.addEventListener("DOMContentLoaded", seiteEinrichten);

if (typeof Office === "undefined") {
  document.addEventListener("DOMContentLoaded", () => {
    document.getElementById("umgebung").hidden = false;
  });
} else {
  Office.onReady((info) => {
    if (!info || info.host !== "Excel") {
      // Office.js loaded, but not inside Excel (a browser tab): Excel's API is missing
      document.getElementById("umgebung").hidden = false;
    }
    // ribbon buttons (ExecuteFunction in the manifest) run the same scripts; the shared runtime is this page
    const befehl = (skript) => async (ereignis) => {
      try {
        await skriptAusfuehren(skript);
        meldung(FERTIG[skript]);
      } catch (fehler) {
        meldung(fehlertext(fehler), true);
      }
      ereignis.completed();
    };
    Office.actions.associate("vorlagePruefen", befehl("vorlage_pruefen"));
    Office.actions.associate("beispielLaden", befehl("beispiel_laden"));
  });
}
