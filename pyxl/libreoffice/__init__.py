"""pyxl in LibreOffice Calc: an extension (.oxt) generated from the registry — see :mod:`.erweiterung`."""
