"""The Excel adapters: custom functions and ribbon/task-pane scripts over xlwings, and the add-in server.

Nothing in pyxl imports this package; it imports everything else. One decorated module serves both integrations:
classic xlwings on Windows (``UDF_MODULES = pyxl.excel.funktionen``) and xlwings Server (Office.js add-in).
xlwings chooses its decorators when it is first imported: ``XLWINGS_ON_SERVER=true`` selects the xlwings Server
ones. Outside Windows there is no classic xlwings, so there the server decorators are the only meaningful choice.
"""

import os
import sys

if not sys.platform.startswith("win"):
    os.environ.setdefault("XLWINGS_ON_SERVER", "true")
# The xlwings Server code (xlwings.pro) is dual-licensed: PolyForm Noncommercial 1.0.0, which covers public
# administrations (noncommercial organisations), or a commercial xlwings PRO key set in XLWINGS_LICENSE_KEY.
# pyxl is made for public administrations, so the noncommercial licence is the default (stated in README.md).
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

_xlwings = sys.modules.get("xlwings")
if _xlwings is not None and os.environ.get("XLWINGS_ON_SERVER") == "true" and not _xlwings.on_server:
    # xlwings picked its no-op decorators before we could choose: the add-in would list no function at all
    raise RuntimeError("xlwings wurde vor pyxl.excel importiert: XLWINGS_ON_SERVER=true vorher setzen")
