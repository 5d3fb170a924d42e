// The task pane's code (static/pyxl-addin.js) where Excel's API is missing or fails, as a clerk may meet it:
// opened in a browser without Office.js, Office.js loaded outside Excel, the server not reachable, a JavaScript
// error. Clicks "Vorlage prüfen" and prints what the pane shows: {"fehler": text, "hinweis": bool}.
// Usage: node ohne_excel.mjs PYXL-ADDIN.JS FALL   (FALL: ohne_office | ohne_excel | ohne_server | js_fehler)
import fs from "node:fs";
import vm from "node:vm";

const [datei, fall] = process.argv.slice(2);
const elemente = {};
const knopf = { dataset: { skript: "vorlage_pruefen" }, disabled: false, addEventListener(_art, f) { knopf.klick = f; } };
const beiGeladen = [];
const umgebung = {
  window: { location: { origin: "http://127.0.0.1:9", hash: "" } },
  localStorage: { getItem: () => null, setItem() {} },
  document: {
    addEventListener: (_art, f) => beiGeladen.push(f),
    getElementById: (id) => (elemente[id] ??= { textContent: "", value: "", hidden: true, addEventListener() {} }),
    querySelectorAll: () => [knopf],
  },
  console: { error() {}, warn() {}, log() {} },
};
vm.createContext(umgebung);
// stand-ins are built inside the page's realm, so its errors are the page's TypeError etc., as in a browser
const standIns = {
  ohne_office: "",
  ohne_excel: "var Office = { onReady: (f) => f({ host: null }), actions: { associate() {} } };",
  ohne_server: `
    var Office = { onReady: (f) => f({ host: "Excel" }), actions: { associate() {} } };
    var PYXL_XLWINGS_VERSION = "0"; function pyxlAnmeldung() { return ""; }
    var fetch = async () => { throw new TypeError("Failed to fetch"); };
    const leer = { items: [], load() { return this; } };
    const mappe = { name: "Mappe1", load() {}, names: leer, properties: { custom: leer },
      worksheets: { items: [], load() { return this; }, getActiveWorksheet: () => ({ load: () => ({ position: 0 }) }) } };
    var Excel = { run: async (arbeit) => arbeit({ workbook: mappe, sync: async () => {} }) };`,
  js_fehler: `
    var Office = { onReady: (f) => f({ host: "Excel" }), actions: { associate() {} } };
    var Excel = { run: async () => { const bereich = null; return bereich.values; } };`,
}[fall];
vm.runInContext(standIns + "\n" + fs.readFileSync(datei, "utf-8"), umgebung);
for (const f of beiGeladen) f();
await knopf.klick();
console.log(JSON.stringify({ fehler: elemente.fehler?.textContent ?? "", hinweis: elemente.umgebung?.hidden === false }));
