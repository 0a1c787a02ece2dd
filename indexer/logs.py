"""Logging as ``key=value`` lines (logfmt-like), easy to grep and to parse."""

import logging
import sys

FORMAT = "ts=%(asctime)s level=%(levelname)s logger=%(name)s msg=%(message)s"


class _CurrentStderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is now, so that a progress bar that redirects it
    prints log lines above itself instead of through it."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value):
        pass


def configure(level: int = logging.INFO) -> None:
    handler = _CurrentStderrHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    logging.basicConfig(level=level, handlers=[handler], force=True)
