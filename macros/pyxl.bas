Attribute VB_Name = "pyxl"
' pyxl for classic xlwings (Windows desktop Excel): the ribbon buttons of customUI14.xml call these macros,
' which run the same Python scripts as the Office.js add-in (pyxl.excel.skripte) through RunPython.
' Needs the xlwings add-in (or xlwings.bas) and xlwings.conf from this folder. No function is declared here:
' the Excel functions come from "Import Functions" over UDF_MODULES = pyxl.excel.funktionen.
Option Explicit

Private Const SKRIPTE As String = "import pyxl.excel.skripte as s; s.klassisch("

Public Sub PyxlVorlagePruefen(Optional control As IRibbonControl)
    RunPython SKRIPTE & "'vorlage_pruefen')"
End Sub

Public Sub PyxlNeueVorlage(Optional control As IRibbonControl)
    Dim kennung As String
    kennung = InputBox("Welches Formular? RZWAS-3A, RZWAS-3B, RZWAS-4, NKF-TEP, NKF-TFP, OEPNV-TR", _
                       "pyxl – Neue Vorlage", "RZWAS-3B")
    If kennung = "" Then Exit Sub
    ' the id goes to Python as data, never as code: only letters, digits and hyphens pass
    If kennung Like "*[!A-Za-z0-9-]*" Then
        MsgBox "Formular = " & kennung & ": nur Buchstaben, Ziffern und Bindestrich erlaubt", vbExclamation, "pyxl"
        Exit Sub
    End If
    RunPython SKRIPTE & "'neue_vorlage', '" & kennung & "')"
End Sub

Public Sub PyxlBeispielLaden(Optional control As IRibbonControl)
    RunPython SKRIPTE & "'beispiel_laden')"
End Sub
