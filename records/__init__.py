"""The records layer, at the bottom of pipeline/, review/ and publish/: files written atomically, records
read and listed (a damaged record file is reported by name, never a crash), the review store's decisions
and how they apply, and the run report's name. It imports only the record model (extract/record.py)."""

from records.decisions import STALE_FLAG, Decision, RecordDecisions, apply_decisions, read_decisions, store_for
from records.files import REPORT_NAME, clean_stale_temp_files, dumps, fixed_zip, write_atomic
from records.load import (
    DamagedFile,
    RecordListing,
    list_records,
    load_form_record,
    load_record,
    read_model,
    record_paths,
)

__all__ = [
    "REPORT_NAME",
    "STALE_FLAG",
    "DamagedFile",
    "Decision",
    "RecordDecisions",
    "RecordListing",
    "apply_decisions",
    "clean_stale_temp_files",
    "dumps",
    "fixed_zip",
    "list_records",
    "load_form_record",
    "load_record",
    "read_decisions",
    "read_model",
    "record_paths",
    "store_for",
    "write_atomic",
]
