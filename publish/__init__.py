"""Publishing: the compendium (Word, and PDF through LibreOffice) and tabular exports of the records."""
