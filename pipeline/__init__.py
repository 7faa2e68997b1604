"""The batch: find replies, read each in a killable worker, write records and the run report.

Nothing is imported here, so that the command line and a run where nothing changed (unchanged.py)
load only what they use: import from the modules (pipeline.batch.run_batch, pipeline.limits.Limits)."""
