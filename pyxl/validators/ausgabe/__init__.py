"""Renderers of a :class:`~pyxl.validators.befund.Bericht`: terminal text, JSON, HTML, annotated workbook copy."""
