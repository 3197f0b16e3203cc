"""Files that hold users' data or a traceback: readable by the deployer alone.

A CSV of users is personal data, and a traceback can hold values from it. Every such file
the product writes is created 0600 (never readable by others, whatever the umask, even for
the moment before a chmod), in a directory only the deployer can enter: a private temporary
directory for files the import removes, `$XDG_STATE_HOME/cognito-user-import/` for the
reports it keeps, and the retry file where the user asked, its missing folders made 0700.
"""

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

FILE_MODE, DIRECTORY_MODE = 0o600, 0o700


def state_directory(kind: str) -> Path:
    """`$XDG_STATE_HOME/cognito-user-import/<kind>` (default `~/.local/state/...`), made
    0700: where reports the deployer may want later are kept."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    directory = Path(base) / "cognito-user-import" / kind
    directory.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    directory.chmod(DIRECTORY_MODE)
    return directory


@contextmanager
def temporary_directory(prefix: str) -> Iterator[Path]:
    """A directory only the deployer can enter (mkdtemp makes it 0700), removed after."""
    with tempfile.TemporaryDirectory(prefix=prefix) as directory:
        yield Path(directory)


def open_private(path: Path, mode: str = "w", **options: Any) -> IO[Any]:
    """Open `path` for writing, created 0600 (an existing file is truncated and made 0600
    before anything is written); its missing folders are made 0700."""
    path.parent.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    os.fchmod(descriptor, FILE_MODE)
    return os.fdopen(descriptor, mode, **options)


def new_report(prefix: str, suffix: str) -> tuple[IO[str], Path]:
    """A new file, 0600, among the deployer's kept reports: the handle and its path."""
    descriptor, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=state_directory("errors"))
    return os.fdopen(descriptor, "w"), Path(name)
