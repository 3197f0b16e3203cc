"""A CSV is validated once per content: the scan is trusted again only for the same bytes,
judged against the same rules, by the same validator."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cognito_user_import import csvscan, scancache
from cognito_user_import import fingerprint as fingerprints
from cognito_user_import.csvfile import PoolRules
from tests.test_csvfile import HEADER, RULES, row, write


@pytest.fixture
def scans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every real scan made, with the cache in a private folder of the test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    made: list[Any] = []
    real = csvscan.scan

    def counted(*args: Any) -> Any:
        made.append(args)
        return real(*args)

    monkeypatch.setattr(csvscan, "scan", counted)
    return made


def test_the_same_content_and_rules_are_scanned_once(tmp_path: Path, scans: list[Any]) -> None:
    path = write(tmp_path, [row("ada"), row("bob", birthdate="1990-01-01")])
    first = scancache.scanned(path, RULES, 500_000)
    again = scancache.scanned(path, RULES, 500_000)
    assert len(scans) == 1
    assert again == first and again.problem_count == 1


def test_other_rules_or_rows_per_job_scan_again(tmp_path: Path, scans: list[Any]) -> None:
    path = write(tmp_path, [row("ada")])
    scancache.scanned(path, RULES, 500_000)
    scancache.scanned(path, PoolRules(header=tuple(HEADER), mfa="ON"), 500_000)
    scancache.scanned(path, RULES, 1)
    assert len(scans) == 3


def test_one_changed_byte_scans_again_and_is_judged_afresh(
    tmp_path: Path, scans: list[Any]
) -> None:
    path = write(tmp_path, [row("ada")])
    assert scancache.scanned(path, RULES, 500_000).problem_count == 0
    path.write_bytes(path.read_bytes().replace(b"ada@", b"ad a@"))
    assert scancache.scanned(path, RULES, 500_000).problem_count == 0  # an email, not judged
    path.write_bytes(path.read_bytes().replace(b",ada\n", b",a da\n"))
    changed = scancache.scanned(path, RULES, 500_000)
    assert len(scans) == 3
    assert changed.summary() == ["line 2, column cognito:username: must not contain spaces or tabs"]


def test_the_cache_is_private_and_holds_no_user_data(tmp_path: Path, scans: list[Any]) -> None:
    path = write(tmp_path, [row("ada"), row("bob", birthdate="1990-01-01")])
    scancache.scanned(path, RULES, 500_000)
    directory = scancache.cache_directory()
    assert directory.stat().st_mode & 0o077 == 0
    [entry] = directory.iterdir()
    assert "ada" not in entry.read_text() and "example.com" not in entry.read_text()


def test_every_module_a_scan_runs_is_part_of_the_validators_version(tmp_path: Path) -> None:
    """A verdict depends on every module the scan runs; an edit to any of them must make
    the cached verdicts of the old code untrusted. The scan runs in a fresh interpreter, so
    what it loads is what it needs."""
    path = write(tmp_path, [row("ada")])
    script = (
        "import sys; from pathlib import Path; from cognito_user_import.csvscan import scan; "
        f"scan(Path({str(path)!r}), None); "
        "print(' '.join(m for m in sys.modules if m.startswith('cognito_user_import.')))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout.split()
    assert sorted(f"{name.rsplit('.', 1)[1]}.py" for name in loaded) == sorted(scancache._VALIDATOR)


def test_a_verdict_of_other_validator_code_is_not_trusted(
    tmp_path: Path, scans: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, [row("ada")])
    scancache.scanned(path, RULES, 500_000)
    monkeypatch.setattr(scancache, "_VALIDATOR", scancache._VALIDATOR[:-1])
    scancache._validator_version.cache_clear()
    scancache.scanned(path, RULES, 500_000)
    scancache._validator_version.cache_clear()
    assert len(scans) == 2


@pytest.fixture
def fingerprinted(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file fingerprinted before a verdict is looked up."""
    made: list[Path] = []
    real = fingerprints.of_file

    def counted(path: Path) -> str:
        made.append(path)
        return real(path)

    monkeypatch.setattr(fingerprints, "of_file", counted)
    return made


def test_a_new_file_is_scanned_at_once_and_a_seen_one_trusted_after_its_fingerprint(
    tmp_path: Path, scans: list[Any], fingerprinted: list[Path]
) -> None:
    """The three checks of `pulumi up --yes`: one scan, then two fingerprints."""
    path = write(tmp_path, [row("ada")])
    for _ in range(3):
        assert scancache.scanned(path, RULES, 500_000).problem_count == 0
    assert (len(scans), len(fingerprinted)) == (1, 2)


def test_content_changed_behind_an_unchanged_stat_is_judged_afresh(
    tmp_path: Path, scans: list[Any]
) -> None:
    """stat() only says whether a fingerprint is worth taking; the fingerprint decides. A
    file rewritten in place with as many bytes and its old modification time is scanned."""
    path = write(tmp_path, [row("ada")])
    before = path.stat()
    assert scancache.scanned(path, RULES, 500_000).problem_count == 0
    path.write_bytes(path.read_bytes().replace(b",ada\n", b",a a\n"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size and path.stat().st_ino == before.st_ino
    changed = scancache.scanned(path, RULES, 500_000)
    assert len(scans) == 2
    assert changed.summary() == ["line 2, column cognito:username: must not contain spaces or tabs"]
