"""Many trials: hyper-parameter sweeps with Optuna. Each trial is a run of its own in the run
history; the study lives in an SQLite file in the runs folder, so a sweep survives a restart
and resumes; epoch ends feed Optuna's pruner so that poor trials stop early."""

from workbench.core.sweeps.params import SweepParam, SweepParamError, parse_param
from workbench.core.sweeps.study import (
    Sweep,
    TrialRow,
    list_studies,
    study_storage,
    trial_rows,
)

__all__ = ["Sweep", "SweepParam", "SweepParamError", "TrialRow", "list_studies",
           "parse_param", "study_storage", "trial_rows"]
