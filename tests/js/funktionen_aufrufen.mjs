// Runs the served custom-functions code (/xlwings/custom-functions-code.js) in Node with a minimal stand-in for
// Excel's runtime (Office, Excel, CustomFunctions), then calls functions the way Excel does: arguments as 2-D
// arrays, the invocation last. Prints one JSON line per call. Usage: node funktionen_aufrufen.mjs BASIS_URL TOKEN
import vm from "node:vm";

const [basis, token] = process.argv.slice(2);
const code = await (await fetch(basis + "/xlwings/custom-functions-code.js")).text();

const registriert = {};
class ExcelFehler extends Error {
  constructor(code, text) {
    super(text);
    this.code = code;
  }
}
const umgebung = {
  window: { location: { origin: basis } },
  localStorage: { getItem: (name) => (name === "pyxl-token" ? token : null) },
  fetch,
  console,
  JSON,
  Office: {
    onReady: async () => ({}),
    context: { contentLanguage: "de-DE", requirements: { isSetSupported: (_set, version) => version === "1.4" } },
  },
  Excel: {
    run: async (arbeit) =>
      arbeit({
        application: {
          cultureInfo: { name: "de-DE", load() {}, datetimeFormat: { load: () => ({ shortDatePattern: "TT.MM.JJJJ" }) } },
        },
        sync: async () => {},
      }),
  },
  CustomFunctions: {
    associate: (name, funktion) => (registriert[name] = funktion),
    Error: ExcelFehler,
    ErrorCode: { invalidValue: "#WERT!" },
  },
};
umgebung.globalThis = umgebung;
vm.runInNewContext(code, umgebung);

const aufruf = { address: "Tabelle1!B2" };
const faelle = [
  ["RZW_ZUWENDUNGSSATZ", [[[5000.5]], null]],
  ["OEPNV_ABSCHMELZUNG", [[[600000], [300000], [100000.01]], [[900000]]]],
  ["RZW_ZUWENDUNGSSATZ", [[["abc"]], null]],
];
console.log(JSON.stringify({ registriert: Object.keys(registriert).sort() }));
for (const [name, argumente] of faelle) {
  try {
    console.log(JSON.stringify({ name, ergebnis: await registriert[name](...argumente, aufruf) }));
  } catch (fehler) {
    console.log(JSON.stringify({ name, fehler: fehler.message, code: fehler.code }));
  }
}
