"""The batch: find replies, read each in a killable worker, write records and the run report."""

from pipeline.batch import BatchReport, run_batch
from pipeline.reading import FileReport
from pipeline.workers import Limits

__all__ = ["BatchReport", "FileReport", "Limits", "run_batch"]
