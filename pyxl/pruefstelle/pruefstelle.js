// The web desk without this script: a plain form post, the result page when all is checked.
// With it: the upload's progress, then each file's status as its check ends, then the result page.
"use strict";

(function () {
  const formular = document.getElementById("hochladen");
  if (!formular || !window.fetch || !window.FormData) return;
  const bereich = document.getElementById("fortschritt");
  const text = document.getElementById("fortschritt-text");
  const liste = document.getElementById("fortschritt-liste");

  function zeile(name, status) {
    const eintrag = document.createElement("li");
    eintrag.textContent = name + ": " + status; // names come from the uploads: text, never markup
    return eintrag;
  }

  function zeigen(dateien, stand) {
    liste.replaceChildren();
    const fertig = new Map((stand.dateien || []).map((d) => [d.datei, d]));
    for (const name of dateien) {
      const d = fertig.get(name);
      liste.append(zeile(name, d ? `${d.status} – ${d.error} Fehler, ${d.warning} Warnungen, ${d.info} Hinweise` : "wartet"));
    }
    text.textContent = `${fertig.size} von ${stand.gesamt || dateien.length} Dateien geprüft`;
  }

  async function verfolgen(antwort, dateien) {
    for (;;) {
      const stand = await (await fetch(antwort.stand, { credentials: "same-origin" })).json();
      zeigen(dateien, stand);
      if (stand.fertig) {
        window.location.assign(antwort.ergebnis);
        return;
      }
      await new Promise((weiter) => setTimeout(weiter, 1000));
    }
  }

  formular.addEventListener("submit", (ereignis) => {
    ereignis.preventDefault();
    const dateien = Array.from(document.getElementById("dateien").files).map((d) => d.name);
    bereich.hidden = false;
    liste.replaceChildren(...dateien.map((name) => zeile(name, "wird hochgeladen")));
    text.textContent = "Hochladen …";
    const anfrage = new XMLHttpRequest();
    anfrage.open("POST", formular.action);
    anfrage.setRequestHeader("Accept", "application/json");
    anfrage.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) text.textContent = `Hochladen: ${Math.round((100 * e.loaded) / e.total)} %`;
    });
    anfrage.addEventListener("load", () => {
      let antwort = {};
      try {
        antwort = JSON.parse(anfrage.responseText);
      } catch (_) {
        antwort = { fehler: "Unerwartete Antwort des Servers" };
      }
      if (anfrage.status === 202) {
        text.textContent = "Hochgeladen – die Prüfung läuft";
        verfolgen(antwort, dateien).catch(() => {
          text.textContent = "Fortschritt nicht abrufbar – das Ergebnis steht gleich unter der Ergebnisseite";
          window.location.assign(antwort.ergebnis);
        });
      } else {
        text.textContent = antwort.fehler || "Hochladen abgelehnt";
      }
    });
    anfrage.addEventListener("error", () => {
      text.textContent = "Server nicht erreichbar – bitte Netzwerkverbindung prüfen";
    });
    anfrage.send(new FormData(formular));
  });
})();
