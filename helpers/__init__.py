"""Helper programs (LibreOffice, OCRmyPDF and what it runs) under the limits of the work they serve, in
their own process groups, gone when they return; LibreOffice without network and without following
links. Used by parsers/ (conversions, OCR) and publish/ (the compendium's PDF); imports none of ours."""

from helpers.libreoffice import libreoffice_command, soffice
from helpers.process import (
    FileBudget,
    HelperLimit,
    HelperResult,
    group_members,
    kill_group,
    run_helper,
    set_budget,
)

__all__ = [
    "FileBudget",
    "HelperLimit",
    "HelperResult",
    "group_members",
    "kill_group",
    "libreoffice_command",
    "run_helper",
    "set_budget",
    "soffice",
]
