"""What an import sends: the user's CSV file, or the users declared in code rendered to one.

Both are judged the same way (the scan, kept by content in the scan cache) and sent the same
way; they differ in where the rows come from, what their problems are reported on (`csv_file`
or `users`), and what state keeps of them (a file's SHA-256, or the records' own digest,
secret like them).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import scancache
from .csvfile import PoolRules, Scan
from .fields import Input
from .inputs import JobInputs, Violation
from .private import open_private, temporary_directory
from .records import breaks_lines, default_header, record_problems, records_digest, render


@dataclass(frozen=True)
class Source:
    #: The input its problems are reported on: csv_file or users.
    input: Input
    inputs: JobInputs

    @classmethod
    def of(cls, inputs: JobInputs) -> Source | None:
        if inputs.csv_file:
            return cls(Input.CSV_FILE, inputs)
        if inputs.users:
            return cls(Input.USERS, inputs)
        return None

    @property
    def records(self) -> bool:
        return self.input is Input.USERS

    def _users(self) -> tuple[dict[str, object], ...]:
        return self.inputs.users or ()

    def unreadable(self) -> str | None:
        """Why the file can't be read at all, before any line of it is judged."""
        if self.records:
            return None
        path = Path(self.inputs.csv_file or "")
        if path.is_dir():
            return f"{path} is a directory; give the path of a CSV file"
        if not path.is_file():
            return f"no such file: {path} (from {Path.cwd()})"
        return None

    def header_without_a_pool(self) -> list[str]:
        """The header to judge by while the pool's is unknown (a pool made in the stack)."""
        return default_header(self._users())

    def record_problems_of(self, header: list[str]) -> list[Violation]:
        """Declared values that would not arrive as declared (none for a file)."""
        users = self._users() if self.records else ()
        return [Violation(Input.USERS, problem) for problem in record_problems(users, header)]

    def lines_unknown_yet(self) -> bool:
        """Declared values that break lines: the file can't be judged until they are fixed."""
        return self.records and breaks_lines(self._users())

    @contextmanager
    def csv(self, header: list[str]) -> Iterator[Path]:
        """The CSV to import: the user's file, or the records rendered to a private file."""
        if not self.records:
            yield Path(self.inputs.csv_file or "")
            return
        with temporary_directory("cognito-import-") as directory:
            path = directory / "users.csv"
            with open_private(path, "w", encoding="utf-8", newline="") as out:
                render(self._users(), header, out)
            yield path

    def check(self, path: Path, rules: PoolRules | None) -> tuple[Scan, list[Violation]]:
        """Scan the CSV (once per content and rules, see scancache.py): every problem of its
        lines, and of how it splits into jobs."""
        scanned = scancache.scanned(path, rules, self.inputs.rows_per_job)
        problems = [Violation(self.input, problem) for problem in scanned.summary(self.records)]
        if not scanned.rows and not scanned.problem_count:
            problems.append(Violation(self.input, "has no users: a header and no rows to import"))
        if len(scanned.parts) > 1 and not self.inputs.wait:
            problems.append(
                Violation(
                    Input.WAIT,
                    f"must be true: the CSV needs {len(scanned.parts)} jobs, which must run one "
                    "after another (Cognito runs one import job at a time per account)",
                )
            )
        return scanned, problems

    def digest(self, scanned: Scan | None = None) -> str:
        """What state keeps of the content: the file's SHA-256, or the records' own."""
        if self.records:
            return records_digest(self._users())
        assert scanned is not None
        return scanned.sha256
