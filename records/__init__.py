"""The records layer, at the bottom of pipeline/, review/ and publish/: files written atomically, records
read and listed (a damaged record file is reported by name, never a crash), the review store's decisions
and how they apply, record ids (never trusted from a file), locks on folders, and the run report's name.
It imports only the record model (extract/record.py) and the form specs (forms/), to know which form a
folder's records answer (records/forms.py)."""

from records.apply import STALE_FLAG, SUBMITTER, apply_decisions, as_extracted
from records.decisions import (
    UNASSIGNED,
    BadRecordId,
    Decision,
    RecordDecisions,
    check_record_id,
    is_record_id,
    read_decisions,
    read_store_file,
    store_for,
)
from records.files import REPORT_NAME, clean_stale_temp_files, dumps, fixed_zip, write_atomic
from records.forms import OtherFormsRecords, UnknownForm, check_same_form, folder_form, form_id_of
from records.load import (
    DamagedFile,
    RecordListing,
    list_records,
    load_form_record,
    load_record,
    read_model,
    record_paths,
)
from records.locks import Busy, folder_lock

__all__ = [
    "REPORT_NAME",
    "STALE_FLAG",
    "SUBMITTER",
    "UNASSIGNED",
    "BadRecordId",
    "Busy",
    "DamagedFile",
    "Decision",
    "OtherFormsRecords",
    "RecordDecisions",
    "RecordListing",
    "UnknownForm",
    "apply_decisions",
    "as_extracted",
    "check_record_id",
    "check_same_form",
    "clean_stale_temp_files",
    "dumps",
    "fixed_zip",
    "folder_form",
    "folder_lock",
    "form_id_of",
    "is_record_id",
    "list_records",
    "load_form_record",
    "load_record",
    "read_decisions",
    "read_model",
    "read_store_file",
    "record_paths",
    "store_for",
    "write_atomic",
]
