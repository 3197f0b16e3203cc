"""What Pulumi's dynamic-provider host shows of a failed call (host.py), in its own terms:
the host calls `traceback.format_exc()` inside its `except Exception:` and sends the text
as the call's error. The real-CLI tests check the whole path (tests/engine.py fails any run
whose output holds a traceback); these pin each rendering."""

import os
import re
import stat
import sys
import types
from pathlib import Path

import pytest

from cognito_user_import.host import HOST_MODULE, in_dynamic_host, show_errors_as_messages
from cognito_user_import.provider import ProviderError


@pytest.fixture
def host(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """A stand-in `__main__` named as Pulumi's host is when run as `-m pulumi.dynamic`."""
    import traceback  # noqa: PLC0415

    main = types.ModuleType("__main__")
    main.__spec__ = types.SimpleNamespace(name=HOST_MODULE)  # type: ignore[assignment]
    main.traceback = traceback  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "__main__", main)
    return main


def formatted_by(host: types.ModuleType, error: Exception) -> str:
    try:
        raise error
    except Exception:
        return str(host.traceback.format_exc())


def test_the_products_error_is_shown_as_its_message_alone(host: types.ModuleType) -> None:
    assert in_dynamic_host()
    show_errors_as_messages(ProviderError)
    message = "import-AbCdEf1234 ended Failed: The user pool auto-verifies nothing."
    assert formatted_by(host, ProviderError(message)) == message


def test_a_bug_is_one_line_and_its_traceback_goes_to_a_file(host: types.ModuleType) -> None:
    show_errors_as_messages(ProviderError)
    shown = formatted_by(host, KeyError("jobs"))
    assert "\n" not in shown and "Traceback" not in shown
    assert "unexpected error (KeyError: 'jobs'); this is a bug" in shown
    report = re.search(r"details in (\S+) \(readable by you alone; it may hold values", shown)
    assert report is not None
    saved = Path(report.group(1))
    assert "Traceback (most recent call last)" in saved.read_text()
    # A traceback can hold values of the user's data: private file, private directory.
    assert saved.parent == Path(os.environ["XDG_STATE_HOME"]) / "cognito-user-import" / "errors"
    assert (stat.S_IMODE(saved.stat().st_mode), stat.S_IMODE(saved.parent.stat().st_mode)) == (
        0o600,
        0o700,
    )
    saved.unlink()


def test_everything_else_of_the_hosts_traceback_module_is_the_standard_one(
    host: types.ModuleType,
) -> None:
    show_errors_as_messages(ProviderError)
    import traceback  # noqa: PLC0415

    assert host.traceback is not traceback
    assert host.traceback.format_list is traceback.format_list


def test_outside_the_host_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    program = types.ModuleType("__main__")
    import traceback  # noqa: PLC0415

    program.traceback = traceback  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "__main__", program)
    assert not in_dynamic_host()
    show_errors_as_messages(ProviderError)
    assert program.traceback is traceback
