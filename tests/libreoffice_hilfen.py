"""LibreOffice headless with the pyxl extension installed and a real `pyxl serve` with sign-in — for the extension's
tests and its benchmark. Driven over UNO by ``tests/libreoffice_treiber.py`` in Debian's /usr/bin/python3.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pyxl.templates.libreoffice import soffice
from tests.excel_hilfen import beenden, freier_port, laufender_server

TREIBER = Path(__file__).with_name("libreoffice_treiber.py")
UNO_PYTHON = "/usr/bin/python3"  # Debian's python3-uno serves only the system Python
TOKEN = "lo-test-token-7f3a"


class Calc:
    def __init__(self, port: int, server: str) -> None:
        self.port, self.server = port, server

    def __call__(self, befehl: str, auftrag: dict | None = None) -> dict:
        lauf = subprocess.run([UNO_PYTHON, str(TREIBER), str(self.port), befehl], input=json.dumps(auftrag or {}),
                              capture_output=True, text=True, timeout=180, check=False)  # fmt: skip
        assert lauf.returncode == 0, lauf.stderr[-3000:]
        return json.loads(lauf.stdout)

    def einstellen(self, adresse: str, token: str = TOKEN, zeitlimit: str = "20") -> dict:
        return self("optionen", {"eingabe": {"Adresse": adresse, "Token": token, "Zeitlimit": zeitlimit}})


def _installieren(oxt: Path, ordner: Path) -> Path:
    """``unopkg add`` into a throw-away profile, as a clerk installs for one user. unopkg refuses root without
    --shared, so as root it runs as nobody in a folder nobody may write."""
    profil = ordner / "profil"
    befehl = ["unopkg", "add", "--suppress-license", f"-env:UserInstallation={profil.as_uri()}", str(oxt)]
    if os.geteuid() == 0:
        befehl = ["runuser", "-u", "nobody", "--", "env", f"HOME={ordner}", *befehl]
    lauf = subprocess.run(befehl, capture_output=True, text=True, timeout=120, check=False)
    assert lauf.returncode == 0, lauf.stdout + lauf.stderr
    return profil


@contextlib.contextmanager
def laufendes_calc() -> Iterator[Calc]:
    """The extension built by the CLI, installed with unopkg into a throw-away profile; pyxl serve with a token;
    LibreOffice headless listening on a loopback socket, German locale, the options page set to the server."""
    hat_uno = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    assert hat_uno.returncode == 0, "python3-uno fehlt (Debian-Paket python3-uno; bash scripts/test.sh installiert es)"
    ordner = Path(tempfile.mkdtemp(prefix="pyxl-lo-erweiterung-"))
    os.chmod(ordner, 0o777)  # nobody installs into it (see _installieren)
    with contextlib.ExitStack() as stapel:
        stapel.callback(shutil.rmtree, ordner, ignore_errors=True)
        lauf = subprocess.run(  # built as an administrator builds it
            [sys.executable, "-m", "pyxl", "libreoffice", "erweiterung", "--ausgabe", str(ordner / "oxt")],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        oxt = ordner / "oxt" / "pyxl.oxt"
        assert str(oxt) in lauf.stdout
        os.chmod(ordner / "oxt", 0o755)
        profil = _installieren(oxt, ordner)
        tokens = ordner / "tokens.txt"
        tokens.write_text(TOKEN + "\n")
        server = stapel.enter_context(laufender_server("--token-datei", str(tokens)))
        port = freier_port()
        # pyxl importable in LibreOffice's own Python (the checkout and the venv's packages, built for the same
        # CPython 3.11): with no server address set, the extension computes in process
        pfade = [str(Path(__file__).resolve().parents[1]), sysconfig.get_paths()["purelib"]]
        umgebung = {**os.environ, "PYTHONPATH": os.pathsep.join(pfade)}
        office = subprocess.Popen(
            [soffice(), f"-env:UserInstallation={profil.as_uri()}", "--headless", "--invisible", "--norestore",
             "--nologo", "--nolockcheck", f"--accept=socket,host=127.0.0.1,port={port};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=umgebung,
        )  # fmt: skip
        stapel.callback(beenden, office)
        calc = Calc(port, server)
        calc("gebietsschema", {"locale": "de-DE"})  # a German clerk's LibreOffice
        calc.einstellen(server)
        yield calc
