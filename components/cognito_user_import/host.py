"""What Pulumi's dynamic-provider host shows the user when a provider method fails.

The host (`python -m pulumi.dynamic`, Pulumi's own, the same on every user's machine) ends a
failed call with `context.abort(UNKNOWN, traceback.format_exc())`, so every message the
provider raises reaches the user under a Python traceback, which reads as "the tool
crashed". Pulumi's own providers print one line. The host looks `traceback` up as a module
global at the moment it formats; this module gives the host, and only the host, a
`traceback` whose `format_exc` renders:

- the product's own errors (`ProviderError`) as their message, exactly as written;
- anything else (a bug) as one line naming the exception, with the full traceback written
  to a file the line names, for the bug report (0600, in the deployer's private state
  directory: a traceback can hold values of the user's data, see private.py).

Every other name resolves to the standard module, so the host is otherwise unchanged; a
host that no longer formats this way is left alone.
"""

import sys
import traceback
import types
from typing import Any

from .private import new_report

#: The module name Python gives the host's entry point when it runs as `-m pulumi.dynamic`.
HOST_MODULE = "pulumi.dynamic.__main__"


def in_dynamic_host() -> bool:
    """True inside Pulumi's dynamic-provider host process, false in programs and tests."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    return getattr(spec, "name", "") == HOST_MODULE


def shown(error: BaseException, expected: type[BaseException]) -> str:
    """What the user reads of `error`: an `expected` error's message as written; anything
    else (a bug) in one line naming it, its traceback saved to a file the line names."""
    if isinstance(error, expected):
        return str(error)
    report, path = new_report("error-", ".txt")
    with report:
        report.write("".join(traceback.format_exception(error)))
    summary = traceback.format_exception_only(type(error), error)[-1].strip()
    return (
        f"cognito-user-import stopped on an unexpected error ({summary}); this is a bug: "
        f"please report it with the details in {path} (readable by you alone; it may hold "
        "values of your users, so check it before you share it)"
    )


class _HostTraceback(types.ModuleType):
    """`traceback`, as the host sees it: `format_exc` says the error in one line."""

    def __init__(self, expected: type[BaseException]) -> None:
        super().__init__("traceback")
        self._expected = expected

    def __getattr__(self, name: str) -> Any:
        return getattr(traceback, name)

    def format_exc(self, limit: int | None = None, chain: bool = True) -> str:
        error = sys.exc_info()[1]
        if error is None:
            return traceback.format_exc(limit, chain)
        return shown(error, self._expected)


def show_errors_as_messages(expected: type[BaseException]) -> None:
    """Inside the host only: its failed calls show `expected` errors as their message."""
    if not in_dynamic_host():
        return
    host = sys.modules["__main__"]
    if getattr(host, "traceback", None) is traceback:
        host.traceback = _HostTraceback(expected)  # type: ignore[attr-defined]
