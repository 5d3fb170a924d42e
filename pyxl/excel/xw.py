"""The xlwings decorators for this process: ``func``, ``arg``, ``ret``, ``script`` and ``XlwingsError``.

xlwings itself switches ``xlwings.func`` … at its first import: ``XLWINGS_ON_SERVER=true`` gives the xlwings Server
decorators, Windows without it the classic ones (VBA wrappers via "Import Functions", ``RunPython``), anything else
no-ops. The same rule is applied here explicitly, so that it no longer depends on who imported xlwings first:
the modules decorated with ``from pyxl.excel import xw`` then ``@xw.func`` work in either integration.
"""

import os
import sys

from xlwings import Book, XlwingsError

if sys.platform != "emscripten":
    # xlwings asks every argument cell whether it is Pyodide's JsNull (``from pyodide.ffi import JsNull`` inside the
    # loop). Off Pyodide each failed import searches sys.path again, ~0.1 ms per cell: 1 s for 10.000 cells. A None
    # entry in sys.modules is Python's documented way to make that import fail at once.
    sys.modules.setdefault("pyodide", None)
    sys.modules.setdefault("pyodide.ffi", None)

# classic xlwings: Excel calls the functions through VBA wrappers and COM (RunPython, "Import Functions")
KLASSISCH = sys.platform.startswith("win") and os.environ.get("XLWINGS_ON_SERVER") != "true"

if KLASSISCH:  # pragma: no cover - Windows
    from xlwings import arg, func, ret, script
else:  # xlwings Server — off Windows the only integration with custom functions
    from xlwings.server import arg, func, ret, script

__all__ = ["KLASSISCH", "Book", "XlwingsError", "arg", "func", "ret", "script"]
