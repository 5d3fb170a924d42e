// Runs the task pane's code (custom-functions.js + static/pyxl-addin.js, as served) in Node against the real
// server, with a small stand-in for Excel's workbook (Office.js API surface pyxl uses). Reads the workbook from a
// JSON file ({name, sheets: [{name, values, formulas, formulasLocal?}], names: [{name, sheet, address}],
// properties}), runs one script like its button does, and prints what Excel would have been told to do.
// With SKRIPT "rechenweg": selects each ZELLE in turn ("Tabelle1!C1"), presses "Rechenweg anzeigen" and prints one
// JSON line per cell with what the pane shows (the result area as markup and as text, status and error line).
// Usage: node aufgabenbereich.mjs BASIS_URL TOKEN MAPPE.json SKRIPT [ARGUMENT]
//        node aufgabenbereich.mjs BASIS_URL TOKEN MAPPE.json rechenweg ZELLE…
import fs from "node:fs";
import vm from "node:vm";

const [basis, token, datei, skript, argument, ...weitereZellen] = process.argv.slice(2);
const vorlage = JSON.parse(fs.readFileSync(datei, "utf-8"));
const protokoll = [];

function spalte(n) {
  let text = "";
  for (n += 1; n > 0; n = Math.floor((n - 1) / 26)) text = String.fromCharCode(65 + ((n - 1) % 26)) + text;
  return text;
}

function bereich(blatt, zeile, spalteNr) {
  const ort = [blatt.name, zeile, spalteNr];
  return {
    set values(werte) {
      protokoll.push(["werte", ...ort, werte]);
    },
    format: {
      fill: {
        set color(farbe) {
          protokoll.push(["farbe", ...ort, farbe]);
        },
        clear() {
          protokoll.push(["farbe", ...ort, null]);
        },
      },
      font: new Proxy({}, { set: (_z, name, wert) => (protokoll.push(["schrift", ...ort, name, wert]), true) }),
      autofitColumns() {},
      autofitRows() {},
      set columnWidth(punkte) {
        protokoll.push(["breite", ...ort, punkte]);
      },
      set wrapText(ja) {
        protokoll.push(["umbruch", ...ort, ja]);
      },
    },
    set hyperlink(verweis) {
      protokoll.push(["verweis", ...ort, verweis]);
    },
    clear() {
      protokoll.push(["leeren", blatt.name]);
    },
  };
}

// reading a range: values, formulas and what Office.js says about them, cut from the sheet's arrays (from A1)
function spaltenNr(buchstaben) {
  let n = 0;
  for (const b of buchstaben.toUpperCase()) n = n * 26 + b.charCodeAt(0) - 64;
  return n - 1;
}
const FEHLERWERTE = ["#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"];
function werttyp(wert) {
  if (wert === "") return "Empty";
  if (typeof wert === "number") return "Double";
  if (typeof wert === "boolean") return "Boolean";
  return FEHLERWERTE.includes(wert) ? "Error" : "String";
}
function zellbereich(blatt, adresse) {
  const [anfang, ende = anfang] = adresse.replace(/\$/g, "").split(":");
  const ort = (a) => {
    const [, buchstaben, zeile] = /^([A-Z]+)(\d+)$/i.exec(a);
    return [Number(zeile) - 1, spaltenNr(buchstaben)];
  };
  const [z1, s1] = ort(anfang);
  const [z2, s2] = ort(ende);
  const block = (feld) =>
    Array.from({ length: z2 - z1 + 1 }, (_z, i) =>
      Array.from({ length: s2 - s1 + 1 }, (_s, j) => feld?.[z1 + i]?.[s1 + j] ?? "")
    );
  const name = /^[\p{L}\p{N}_.]+$/u.test(blatt.name) ? blatt.name : `'${blatt.name.replace(/'/g, "''")}'`;
  const werte = block(blatt.werte);
  const r = {
    address: `${name}!${anfang.toUpperCase()}${ende === anfang ? "" : ":" + ende.toUpperCase()}`,
    values: werte,
    formulas: block(blatt.formeln),
    formulasLocal: block(blatt.lokal ?? blatt.formeln),
    valueTypes: werte.map((zeile) => zeile.map(werttyp)),
    cellCount: (z2 - z1 + 1) * (s2 - s1 + 1),
    worksheet: blatt,
    isNullObject: false,
    load: () => r,
    getCell: (i, j) => zellbereich(blatt, `${spalte(s1 + j)}${z1 + i + 1}`),
  };
  return r;
}

const NICHTS = { isNullObject: true, load() { return this; } };
const blaetter = vorlage.sheets.map((b, i) => blattAnlegen(b.name, b.values, b.formulas, i, b.formulasLocal));
function blattAnlegen(name, werte, formeln, position, lokal) {
  const blatt = { name, position, werte, formeln, lokal, isNullObject: false };
  blatt.load = () => blatt;
  blatt.names = { getItemOrNullObject: () => NICHTS }; // no sheet-scoped names in these workbooks
  blatt.activate = () => protokoll.push(["aktiv", blatt.name]);
  blatt.pageLayout = new Proxy(
    { setPrintTitleRows: (zeilen) => protokoll.push(["druck", name, "printTitleRows", zeilen]) },
    { set: (_s, eigenschaft, wert) => (protokoll.push(["druck", name, eigenschaft, wert]), true) }
  );
  blatt.getUsedRangeOrNullObject = () => ({
    isNullObject: !werte.length,
    load() {},
    getLastCell: () => ({ load: () => ({ address: `${name}!${spalte(werte[0].length - 1)}${werte.length}` }) }),
  });
  blatt.getUsedRange = () => bereich(blatt, 0, 0);
  blatt.getRange = (adresse) => (adresse ? zellbereich(blatt, adresse) : bereich(blatt, 0, 0));
  blatt.getRangeByIndexes = (zeile, spalteNr) => bereich(blatt, zeile, spalteNr);
  return blatt;
}

const eigene = Object.entries(vorlage.properties).map(([key, value]) => ({ key, value }));
const namen = vorlage.names.map((n) => ({
  name: n.name,
  type: "Range",
  isNullObject: false,
  load() {
    return this;
  },
  getRange: () => {
    const blatt = blaetter.find((b) => b.name === n.sheet);
    const r = zellbereich(blatt, n.address);
    return { ...r, load: () => ({ ...r, address: `'${n.sheet}'!${n.address}` }), worksheet: { load: () => ({ position: blatt.position }) } };
  },
}));
let auswahl = "Tabelle1!A1"; // the selected cell, as "Blatt!A1"
const mappe = {
  name: vorlage.name,
  load() {},
  getSelectedRange() {
    const trenner = auswahl.lastIndexOf("!");
    const blatt = blaetter.find((b) => b.name === auswahl.slice(0, trenner).replace(/^'|'$/g, ""));
    return zellbereich(blatt, auswahl.slice(trenner + 1));
  },
  worksheets: {
    get items() {
      return blaetter;
    },
    load() {
      return this;
    },
    getActiveWorksheet: () => ({ load: () => ({ position: 0 }) }),
    getItemOrNullObject: (name) => blaetter.find((b) => b.name === name) ?? NICHTS,
    add(name) {
      const blatt = blattAnlegen(name, [], [], blaetter.length);
      blaetter.push(blatt);
      protokoll.push(["blatt", name]);
      return blatt;
    },
  },
  names: {
    items: namen,
    load() {
      return this;
    },
    getItemOrNullObject: (name) => namen.find((n) => n.name.toUpperCase() === name.toUpperCase()) ?? NICHTS,
    add: (name, bezug) => (protokoll.push(["name", name, bezug]), {}),
  },
  properties: { custom: { items: eigene, load: () => ({ items: eigene }), add: (k, v) => protokoll.push(["eigenschaft", k, v]) } },
  insertWorksheetsFromBase64: (inhalt) => protokoll.push(["einfuegen", inhalt.length]),
};

// a page element: text only through textContent, children through append/replaceChildren (what the pane uses)
class Element {
  constructor(tag) {
    this.tag = tag;
    this.kinder = [];
    this.attribute = {};
    this.value = argument ?? "";
    this.hidden = false;
    this.disabled = false;
  }
  set textContent(text) {
    this.kinder = [String(text)];
  }
  get textContent() {
    return this.kinder.map((k) => (typeof k === "string" ? k : k.textContent)).join("");
  }
  append(...kinder) {
    this.kinder.push(...kinder);
  }
  replaceChildren(...kinder) {
    this.kinder = kinder;
  }
  setAttribute(name, wert) {
    this.attribute[name] = String(wert);
  }
  addEventListener() {}
  get markup() {
    // as a browser would serialise it: text escaped
    const maskiert = (t) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    const attribute = Object.entries(this.attribute).map(([n, w]) => ` ${n}="${maskiert(w)}"`).join("");
    const innen = this.kinder.map((k) => (typeof k === "string" ? maskiert(k) : k.markup)).join("");
    return `<${this.tag}${attribute}>${innen}</${this.tag}>`;
  }
}

const knoepfe = {};
const umgebung = {
  window: { location: { origin: basis, hash: "" } },
  localStorage: { getItem: (name) => (name === "pyxl-token" ? token : null), setItem() {} },
  document: {
    addEventListener() {},
    getElementById: (id) => (knoepfe[id] ??= new Element("div")),
    createElement: (tag) => new Element(tag),
    querySelectorAll: () => [],
  },
  fetch,
  console,
  JSON,
  Object,
  Office: {
    onReady: async (rueckruf) => rueckruf && rueckruf({}),
    actions: { associate() {} },
    context: { contentLanguage: "de-DE", requirements: { isSetSupported: () => true } },
  },
  Excel: {
    WorksheetPositionType: { end: "End" },
    run: async (arbeit) => arbeit({ workbook: mappe, sync: async () => {} }),
  },
};
umgebung.globalThis = umgebung;
const code = (await (await fetch(basis + "/xlwings/custom-functions-code.js")).text()).replace(/\npyxlRegistrieren\(.*\);\n$/, "");
const addin = await (await fetch(basis + "/static/pyxl-addin.js")).text();
vm.runInNewContext(
  code + "\n" + addin + "\nglobalThis.skriptAusfuehren = skriptAusfuehren; globalThis.rechenwegGedrueckt = rechenwegGedrueckt;",
  umgebung
);
if (skript === "rechenweg") {
  for (const zelle of [argument, ...weitereZellen]) {
    auswahl = zelle;
    const knopf = umgebung.document.getElementById("rechenweg-zeigen");
    await umgebung.rechenwegGedrueckt(knopf);
    const [bereich, status, fehler] = ["rechenweg", "status", "fehler"].map((id) => umgebung.document.getElementById(id));
    console.log(JSON.stringify({ zelle, markup: bereich.markup, text: bereich.textContent, status: status.textContent, fehler: fehler.textContent, knopf_frei: !knopf.disabled }));
  }
  process.exit(0);
}
try {
  await umgebung.skriptAusfuehren(skript, argument ? [argument] : []);
  console.log(JSON.stringify({ protokoll }));
} catch (fehler) {
  console.log(JSON.stringify({ fehler: fehler.message }));
}
