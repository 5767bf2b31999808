"""Log formatting that user input can't forge lines in (ASVS V7.3.1)."""

from __future__ import annotations

import logging

_ESCAPES = str.maketrans({"\n": "\\n", "\r": "\\r", "\x1b": "\\x1b", "\x85": "\\x85", "\u2028": "\\u2028",
                          "\u2029": "\\u2029"})


class SafeFormatter(logging.Formatter):
    """Escapes line breaks and terminal escapes in the message, so that one event is always one line.

    A value typed by a user (an e-mail address, a path) that reaches a log message can't start a
    line of its own that looks like another event. Tracebacks keep their line breaks: they are
    written by the program, after the message.
    """

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802  (logging's name)
        safe = logging.makeLogRecord(record.__dict__)
        safe.message = record.message.translate(_ESCAPES)
        return super().formatMessage(safe)
