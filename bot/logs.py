"""Log set-up for the command line and the long-running bot."""

import logging
import os


def configure_logging(verbose: bool = False) -> None:
    level = logging.DEBUG if verbose else getattr(logging, os.environ.get("ARREARS_LOG_LEVEL", "INFO").upper(), logging.INFO)
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # slack_sdk logs every request body at DEBUG, which would put message text and tokens' use in the log.
    logging.getLogger("slack_sdk").setLevel(max(level, logging.INFO))
    # Alembic announces every migration step at INFO, which buries command output; -v shows it again.
    if not verbose:
        logging.getLogger("alembic").setLevel(logging.WARNING)
