"""Data sources, splits, normalization, on-device augmentation and the device-resident loader.

``load_source("digits")`` returns a :class:`DataSet` (three :class:`Split` s plus what a model
and a prediction need to know: shapes, classes, normalization stats, vocabulary).
``make_loader(split, ...)`` turns a split into batches on the training device.
"""

from workbench.core.data.augment import AugmentConfig, augment_batch
from workbench.core.data.dataset import DataSet, Split
from workbench.core.data.errors import DataSourceError
from workbench.core.data.idx import read_idx
from workbench.core.data.loader import DeviceLoader, StreamLoader, make_loader
from workbench.core.data.sources import SOURCES, SourceInfo, default_data_dir, load_source

__all__ = [
    "SOURCES",
    "AugmentConfig",
    "DataSet",
    "DataSourceError",
    "DeviceLoader",
    "SourceInfo",
    "Split",
    "StreamLoader",
    "augment_batch",
    "default_data_dir",
    "load_source",
    "make_loader",
    "read_idx",
]
