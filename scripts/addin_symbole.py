"""Write the add-in's ribbon and manifest icons (macros/static/icon-*.png): a white "p" on pyxl blue.

Pure Python (zlib) so the icons need no image library; run once after changing the design.
"""

import struct
import zlib
from pathlib import Path

BLAU, WEISS = (11, 83, 148), (255, 255, 255)
# the letter on a 6×8 grid, scaled to each size
BUCHSTABE = ["......", "#####.", "#...##", "#....#", "#...##", "#####.", "#.....", "#....."]


def png(groesse: int) -> bytes:
    rand = groesse // 6
    feld = (groesse - 2 * rand) / 8
    zeilen = []
    for y in range(groesse):
        zeile = bytearray([0])
        for x in range(groesse):
            gy, gx = int((y - rand) / feld), int((x - rand - feld) / feld)
            innen = 0 <= gy < 8 and 0 <= gx < 6 and y >= rand and x >= rand + feld
            zeile.extend(WEISS if innen and BUCHSTABE[gy][gx] == "#" else BLAU)
        zeilen.append(bytes(zeile))

    def block(art: bytes, daten: bytes) -> bytes:
        return struct.pack(">I", len(daten)) + art + daten + struct.pack(">I", zlib.crc32(art + daten))

    kopf = struct.pack(">IIBBBBB", groesse, groesse, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + block(b"IHDR", kopf)
        + block(b"IDAT", zlib.compress(b"".join(zeilen)))
        + block(b"IEND", b"")
    )


if __name__ == "__main__":
    ziel = Path(__file__).resolve().parents[1] / "macros" / "static"
    for groesse in (16, 32, 64, 80):
        (ziel / f"icon-{groesse}.png").write_bytes(png(groesse))
        print(f"geschrieben: {ziel / f'icon-{groesse}.png'}")
