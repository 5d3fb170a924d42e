"""The Excel adapters: custom functions and ribbon/task-pane scripts over xlwings, and the add-in server.

Nothing in pyxl imports this package; it imports everything else. One decorated module serves both integrations:
classic xlwings on Windows (``UDF_MODULES = pyxl.excel.funktionen``) and xlwings Server (Office.js add-in).
"""

import os

# The xlwings Server code (xlwings.pro) is dual-licensed: PolyForm Noncommercial 1.0.0, which covers public
# administrations (noncommercial organisations), or a commercial xlwings PRO key set in XLWINGS_LICENSE_KEY.
# pyxl is made for public administrations, so the noncommercial licence is the default (stated in README.md).
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
