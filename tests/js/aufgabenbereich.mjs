// Runs the task pane's code (custom-functions.js + static/pyxl-addin.js, as served) in Node against the real
// server, with a small stand-in for Excel's workbook (Office.js API surface pyxl uses). Reads the workbook from a
// JSON file ({name, sheets: [{name, values, formulas}], names: [{name, sheet, address}], properties}), runs one
// script like its button does, and prints what Excel would have been told to do.
// Usage: node aufgabenbereich.mjs BASIS_URL TOKEN MAPPE.json SKRIPT [ARGUMENT]
import fs from "node:fs";
import vm from "node:vm";

const [basis, token, datei, skript, argument] = process.argv.slice(2);
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
      },
      font: new Proxy({}, { set: (_z, name, wert) => (protokoll.push(["schrift", ...ort, name, wert]), true) }),
      autofitColumns() {},
      autofitRows() {},
    },
    set hyperlink(verweis) {
      protokoll.push(["verweis", ...ort, verweis]);
    },
    clear() {
      protokoll.push(["leeren", blatt.name]);
    },
  };
}

const blaetter = vorlage.sheets.map((b, i) => blattAnlegen(b.name, b.values, b.formulas, i));
function blattAnlegen(name, werte, formeln, position) {
  const blatt = { name, position, werte, formeln };
  blatt.load = () => blatt;
  blatt.activate = () => protokoll.push(["aktiv", blatt.name]);
  blatt.getUsedRangeOrNullObject = () => ({
    isNullObject: !werte.length,
    load() {},
    getLastCell: () => ({ load: () => ({ address: `${name}!${spalte(werte[0].length - 1)}${werte.length}` }) }),
  });
  blatt.getUsedRange = () => bereich(blatt, 0, 0);
  blatt.getRange = (adresse) =>
    adresse ? { load: () => ({ values: werte, formulas: formeln }) } : bereich(blatt, 0, 0);
  blatt.getRangeByIndexes = (zeile, spalteNr) => bereich(blatt, zeile, spalteNr);
  return blatt;
}

const eigene = Object.entries(vorlage.properties).map(([key, value]) => ({ key, value }));
const namen = vorlage.names.map((n) => ({
  name: n.name,
  type: "Range",
  getRange: () => ({ load: () => ({ address: `'${n.sheet}'!${n.address}` }), worksheet: { load: () => ({ position: blaetter.findIndex((b) => b.name === n.sheet) }) } }),
}));
const mappe = {
  name: vorlage.name,
  load() {},
  worksheets: {
    get items() {
      return blaetter;
    },
    load() {
      return this;
    },
    getActiveWorksheet: () => ({ load: () => ({ position: 0 }) }),
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
    getItemOrNullObject: (name) => ({ isNullObject: !namen.some((n) => n.name === name) }),
    add: (name, bezug) => (protokoll.push(["name", name, bezug]), {}),
  },
  properties: { custom: { items: eigene, load: () => ({ items: eigene }), add: (k, v) => protokoll.push(["eigenschaft", k, v]) } },
  insertWorksheetsFromBase64: (inhalt) => protokoll.push(["einfuegen", inhalt.length]),
};

const knoepfe = {};
const umgebung = {
  window: { location: { origin: basis, hash: "" } },
  localStorage: { getItem: (name) => (name === "pyxl-token" ? token : null), setItem() {} },
  document: {
    addEventListener() {},
    getElementById: (id) => (knoepfe[id] ??= { textContent: "", value: argument ?? "", hidden: false }),
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
vm.runInNewContext(code + "\n" + addin + "\nglobalThis.skriptAusfuehren = skriptAusfuehren;", umgebung);
try {
  await umgebung.skriptAusfuehren(skript, argument ? [argument] : []);
  console.log(JSON.stringify({ protokoll }));
} catch (fehler) {
  console.log(JSON.stringify({ fehler: fehler.message }));
}
