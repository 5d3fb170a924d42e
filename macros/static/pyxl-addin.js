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
    (await bereichVon(context, aktion)).format.fill.color = aktion.args[0];
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

async function skriptAusfuehren(name, argumente = []) {
  if (typeof Excel === "undefined" || typeof Excel.run !== "function") throw new Error(OHNE_EXCEL);
  await Excel.run(async (context) => {
    const daten = await arbeitsmappeLesen(context);
    daten.args = argumente;
    let antwort;
    try {
      antwort = await fetch(window.location.origin + "/xlwings/custom-scripts-call/" + name, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: pyxlAnmeldung() },
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
      throw new Error(meldungstext);
    }
    for (const aktion of JSON.parse(text).actions) {
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
  const feld = document.getElementById("token");
  document.getElementById("token-speichern").addEventListener("click", () => {
    localStorage.setItem("pyxl-token", feld.value.trim());
    feld.value = "";
    meldung("Zugangsschlüssel gespeichert.");
  });
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
