"""The batch: find replies, read each in a killable worker, write records and the run report.

Names are imported on first use, so that review/ can use pipeline.output without a cycle."""

from importlib import import_module

_EXPORTS = {
    "BatchReport": "pipeline.batch",
    "run_batch": "pipeline.batch",
    "FileReport": "pipeline.reading",
    "Limits": "pipeline.workers",
}


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(name)


__all__ = list(_EXPORTS)
