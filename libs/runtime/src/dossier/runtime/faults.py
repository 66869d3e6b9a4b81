"""Test-only fault injection: die at a named point, as a crash there would.

`DOSSIER_FAULT_AFTER=<point>` makes the process `os._exit(137)` (what SIGKILL looks like
to its parent) the moment it passes that point, so the kill -9 tests hit a precise step
(e.g. after the outcome insert, before the CV key is shredded) instead of a lucky moment.
Unset in every real deployment; reading one environment variable is all it costs.
"""

import logging
import os

log = logging.getLogger(__name__)

#: The points a process can be told to die after.
OUTCOME_INSERTED = "outcome-inserted"
KEY_SHREDDED = "key-shredded"
REWRITE_FLAGGED = "rewrite-flagged"  # reporter: a report is flagged as being rewritten (feedback)


def fault_point(name: str) -> None:
    """Exit at once, like a kill -9, if this process was told to die after `name`."""
    if os.environ.get("DOSSIER_FAULT_AFTER") == name:
        log.critical("fault injected: exiting after %s", name)
        logging.shutdown()
        os._exit(137)
