// pyxl sign-in dialog (anmeldung.html), opened by the task pane with Office.context.ui.displayDialogAsync.
// Opened with state, nonce and code_challenge (the pane made them; its verifier stays in the pane): sends the
// clerk on to the issuer's authorization endpoint — only the one the server names, with the client's fixed
// parameters, so this page forwards nowhere else. Back from the issuer (this page is the redirect URI) with
// ?code=…&state=… or ?error=…: hands them to the pane with messageParent. The pane checks state and exchanges the code.

function zeigen(text, fehler = false) {
  document.getElementById(fehler ? "fehler" : "status").textContent = text;
  document.getElementById(fehler ? "status" : "fehler").textContent = "";
}

async function weiterleiten(parameter) {
  let angaben;
  try {
    angaben = await (await fetch("/pyxl/anmeldung.json", { cache: "no-store" })).json();
  } catch (_) {
    throw new Error("pyxl-Server nicht erreichbar – bitte das Fenster schließen und erneut anmelden.");
  }
  if (!angaben.oidc) throw new Error(angaben.fehler || "Der pyxl-Server meldet an keinem Anmeldedienst an.");
  const o = angaben.oidc;
  const ziel = new URL(o.authorization_endpoint);
  const felder = {
    response_type: "code",
    client_id: o.client_id,
    redirect_uri: o.redirect_uri,
    scope: o.scope,
    state: parameter.get("state"),
    nonce: parameter.get("nonce"),
    code_challenge: parameter.get("code_challenge"),
    code_challenge_method: "S256",
  };
  for (const [name, wert] of Object.entries(felder)) ziel.searchParams.set(name, wert);
  window.location.replace(ziel.href);
}

function zurueckgeben(nachricht) {
  if (typeof Office === "undefined") {
    zeigen("Office.js nicht geladen – die Anmeldung kann nicht an Excel übergeben werden. Bitte die IT fragen.", true);
    return;
  }
  Office.onReady(() => {
    Office.context.ui.messageParent(JSON.stringify(nachricht));
    zeigen(nachricht.code ? "Angemeldet – dieses Fenster schließt sich." : "Anmeldung nicht abgeschlossen.");
  });
}

function start() {
  const parameter = new URLSearchParams(window.location.search);
  if (parameter.has("code") || parameter.has("error")) {
    // the code is worthless without the pane's verifier; still, it leaves the address bar at once
    window.history.replaceState(null, "", window.location.pathname);
    zurueckgeben(
      parameter.has("code")
        ? { code: parameter.get("code"), state: parameter.get("state") }
        : { fehler: parameter.get("error"), state: parameter.get("state") } // the code only: its description is English
    );
  } else if (["state", "nonce", "code_challenge"].every((name) => parameter.get(name))) {
    weiterleiten(parameter).catch((fehler) => zeigen(fehler.message, true));
  } else {
    zeigen("Diese Seite öffnet der Aufgabenbereich von pyxl zur Anmeldung – bitte dort „Anmelden“ wählen.", true);
  }
}

document.addEventListener("DOMContentLoaded", start);
