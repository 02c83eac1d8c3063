"""Imported by render's worker-pool server (forkserver preload): warm the HTML exporter
once there, so every forked worker starts with its templates compiled."""
from dcplan.report import _warm_up

_warm_up(False)
