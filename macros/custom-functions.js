// pyxl: the Office.js side of the custom functions (served as /xlwings/custom-functions-code.js).
// Every function of pyxl's registry is associated below (the server appends the list from the metadata as
// PYXL_FUNKTIONEN, which the task pane's "Rechenweg" reads too);
// a call posts its arguments to /xlwings/custom-functions-call exactly as xlwings Server expects them.
// Runs in the add-in's shared runtime, so it shares the sign-in token with the task pane (pyxl-addin.js).

const PYXL_XLWINGS_VERSION = "placeholder_xlwings_version";
const PYXL_NAMENSRAUM = "placeholder_namensraum"; // as in the manifest: =PYXL.RZW_ZUWENDUNGSSATZ(…)
let pyxlKultur = null; // { name: "de-DE", datum: "TT.MM.JJJJ" }, read once from Excel

function pyxlLaufzeit() {
  for (const version of ["1.4", "1.3", "1.2"]) {
    if (Office.context.requirements.isSetSupported("CustomFunctionsRuntime", version)) {
      return version;
    }
  }
  return "1.1";
}

async function pyxlKulturLesen() {
  if (pyxlKultur === null) {
    pyxlKultur = { name: Office.context.contentLanguage, datum: null };
    try {
      await Excel.run(async (context) => {
        const kultur = context.application.cultureInfo;
        kultur.load("name");
        const datum = kultur.datetimeFormat.load("shortDatePattern");
        await context.sync();
        pyxlKultur = { name: kultur.name, datum: datum.shortDatePattern };
      });
    } catch (fehler) {
      console.warn("pyxl: Ländereinstellung nicht lesbar", fehler);
    }
  }
  return pyxlKultur;
}

// The sign-in at the OIDC issuer (task pane, pyxl-addin.js) keeps its access token here, in this runtime's memory
// only: {token, faellig (ms since 1970: when to renew), nutzer, erneuern: async function}. null: not signed in so.
let pyxlZugang = null;

async function pyxlAnmeldung() {
  // The Authorization header: the OIDC sign-in's access token, else a token from the organisation's list that the
  // task pane stored. A token due for renewal is renewed first: timers of a hidden runtime may fire late.
  if (pyxlZugang && Date.now() >= pyxlZugang.faellig) {
    try {
      await pyxlZugang.erneuern();
    } catch (_) {
      // signed out; the server's 401 says so in German
    }
  }
  if (pyxlZugang) return "Bearer " + pyxlZugang.token;
  const token = globalThis.localStorage ? localStorage.getItem("pyxl-token") : null;
  return token ? "Bearer " + token : "";
}

async function pyxlAufruf(name, argumente, aufruf) {
  await Office.onReady();
  const kultur = await pyxlKulturLesen();
  let antwort;
  try {
    antwort = await fetch(window.location.origin + "/xlwings/custom-functions-call", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: await pyxlAnmeldung() },
      body: JSON.stringify({
        client: "Office.js",
        func_name: name,
        args: argumente.map((wert) => (wert === undefined ? null : wert)),
        caller_address: aufruf && aufruf.address ? aufruf.address : null,
        culture_info_name: kultur.name,
        date_format: kultur.datum,
        version: PYXL_XLWINGS_VERSION,
        runtime: pyxlLaufzeit(),
      }),
    });
  } catch (_) {
    // the browser's own words ("Failed to fetch") would be the cell's error tooltip: English, no cause
    throw new CustomFunctions.Error(CustomFunctions.ErrorCode.notAvailable, "pyxl-Server nicht erreichbar");
  }
  if (!antwort.ok) {
    let text = await antwort.text();
    try {
      text = JSON.parse(text).detail || text; // 401: {"detail": "..."}
    } catch (_) {
      // plain German text (400)
    }
    throw new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue, text);
  }
  return (await antwort.json()).result;
}

function pyxlRegistrieren(namen) {
  if (typeof CustomFunctions === "undefined") return; // the page opened outside Excel
  for (const name of namen) {
    // Excel passes the arguments, then the invocation (address of the calling cell)
    CustomFunctions.associate(name, (...werte) => pyxlAufruf(name, werte.slice(0, -1), werte[werte.length - 1]));
  }
}
