"""The batch: find replies, read each, extract, write records and the run report."""

from pipeline.batch import BatchReport, FileReport, run_batch

__all__ = ["BatchReport", "FileReport", "run_batch"]
