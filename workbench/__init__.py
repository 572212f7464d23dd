"""Workbench: build, train, evaluate and export neural networks by point and click."""

__version__ = "0.1.0"
