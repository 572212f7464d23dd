"""Run folders and the run history: every training run gets a folder (spec, config, data
description, metrics, evaluation, checkpoints) and a row in a SQLite history.

``create_run`` starts one (the CLI and the GUI worker both use it), ``open_run`` reads one
back, ``RunStore`` lists them.
"""

from workbench.core.runs.folders import (
    LoadedRun,
    create_run,
    find_run_dir,
    new_run_id,
    open_run,
    resume_run,
)
from workbench.core.runs.recorder import RunRecorder
from workbench.core.runs.retest import evaluate_run, load_run_data, record_evaluation
from workbench.core.runs.store import (
    RunError,
    RunRecord,
    RunStore,
    default_runs_dir,
    workbench_home,
)

__all__ = ["LoadedRun", "RunError", "RunRecord", "RunRecorder", "RunStore", "create_run",
           "default_runs_dir", "evaluate_run", "find_run_dir", "load_run_data", "new_run_id",
           "open_run", "record_evaluation", "resume_run", "workbench_home"]
