"""Cognito's CSV rules, by the current developer guide: the header, and each row judged
value by value against the pool's settings (PoolRules, RowRules).

These rules are the reference: csvblock.py tests whole blocks of rows at once for being as
Cognito stores them, and leaves the others to these, row by row; a property test holds the
two to the same problems. Each problem names its line and column, never the value: a CSV
holds personal data, and these messages reach terminals and CI logs. How a file is read and
cut into jobs is csvscan.py's. (The rules are one module, a little over 450 lines, so that
the reference the vectorized test is held to reads in one place.)
"""

import calendar
import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .attributes import FORMATS, Attribute, SignIn, schema_of

MAX_ROWS_PER_JOB = 500_000
MAX_BYTES_PER_JOB = 100 * 1024 * 1024
MAX_ROW_CHARACTERS = 16_000
#: Problems listed in full; the rest are counted.
REPORTED_PROBLEMS = 20

BOM = b"\xef\xbb\xbf"
NOT_UTF8 = "is not valid UTF-8; save the file as UTF-8"
BOOLEANS = frozenset({"true", "false"})
USERNAME, MFA = "cognito:username", "cognito:mfa_enabled"
VERIFIABLE = ("email", "phone_number")
_BIRTHDATE = re.compile(r"\d{2}/\d{2}/\d{4}")
#: The guide: a username may hold "any Unicode" but "no spaces or tabs"; and "Any leading or
#: trailing white space in an attribute value will be trimmed", so values are judged trimmed.
_SPACE_OR_TAB = re.compile(r"[ \t]")
#: Every header has these, whatever the pool: what can be checked before GetCSVHeader answers.
MANDATORY_COLUMNS = (
    USERNAME,
    MFA,
    "email",
    "email_verified",
    "phone_number",
    "phone_number_verified",
)


@dataclass(frozen=True)
class PoolRules:
    """What one pool demands: its GetCSVHeader and the settings rows must agree with."""

    header: tuple[str, ...]
    mfa: str = "OPTIONAL"
    required: frozenset[str] = frozenset()
    auto_verified: tuple[str, ...] = ()
    #: The schema attributes of the header that can refuse a value (attributes.py).
    schema: tuple[Attribute, ...] = ()
    sign_in: SignIn = field(default_factory=SignIn)

    @classmethod
    def from_aws(cls, header: Sequence[str], pool: Mapping[str, Any]) -> "PoolRules":
        """From GetCSVHeader's header and DescribeUserPool's UserPool."""
        required = frozenset(
            str(attribute["Name"])
            for attribute in pool.get("SchemaAttributes", [])
            if attribute.get("Required") and attribute["Name"] in header
        )
        return cls(
            header=tuple(header),
            mfa=str(pool.get("MfaConfiguration") or "OFF"),
            required=required,
            auto_verified=tuple(pool.get("AutoVerifiedAttributes") or ()),
            schema=schema_of(pool, header),
            sign_in=SignIn.from_aws(pool),
        )


@dataclass(frozen=True)
class LineProblem:
    line: int
    column: str | None
    message: str

    def text(self, records: bool = False) -> str:
        """`line 5, column email: ...`; for users declared as records, `users[3] (line 5)`."""
        where = f"line {self.line}"
        if records and self.line > 1:
            where = f"users[{self.line - 2}] (CSV line {self.line})"
        column = f", column {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass(frozen=True)
class Part:
    """Rows that fit one job: bytes [start, end) of the file, sent after the header."""

    first_line: int
    rows: int
    start: int
    end: int


@dataclass
class Scan:
    sha256: str
    fingerprint: str = ""  # what the scan cache keys the verdict by (fingerprint.py)
    rows: int = 0
    header: bytes = b""
    parts: list[Part] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)
    problem_count: int = 0

    def add(self, line: int, column: str | None, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < REPORTED_PROBLEMS:
            self.problems.append(LineProblem(line, column, message))

    def summary(self, records: bool = False) -> list[str]:
        listed = [problem.text(records) for problem in self.problems]
        if self.problem_count > len(self.problems):
            listed.append(f"... and {self.problem_count - len(self.problems)} more problems")
        return listed


def fields_of(text: str) -> list[str]:
    """One line's values in Cognito's dialect: unquoted, a literal comma written `\\,`.

    Lines without a backslash (nearly all) need no escape handling, and a plain split gives
    what csv.reader would; the csv module parses the others.
    """
    if "\\" not in text:
        return text.split(",")
    return next(csv.reader((text,), quoting=csv.QUOTE_NONE, escapechar="\\", strict=True))


def block_lines(block: bytes) -> Iterator[str | None]:
    """Each line of a block, without its line break (None if it is not UTF-8). A block that
    decodes is split as text, in C; one that doesn't, line by line, so each bad line is
    named."""
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        yield from map(_decoded, raw_lines(block))
        return
    lines = text.split("\n")
    if not lines[-1]:
        lines.pop()  # what follows the last line break
    yield from (line.rstrip("\r") for line in lines) if "\r" in text else lines


def raw_lines(block: bytes) -> list[bytes]:
    lines = block.split(b"\n")
    if not lines[-1]:
        lines.pop()
    return lines


def _decoded(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None


def check_header(first: bytes, rules: PoolRules | None, result: Scan) -> list[str] | None:
    """The header's columns, or None when rows can't be judged against it."""
    if not first.strip():
        result.add(
            1, None, "the file is empty; its first line must be the header from GetCSVHeader"
        )
        return None
    if first.startswith(BOM):
        result.add(1, None, "starts with a byte order mark; save the file as UTF-8 without BOM")
        first = first[len(BOM) :]
    text = _decoded(first.rstrip(b"\n"))
    if text is None:
        result.add(1, None, NOT_UTF8)
        return None
    try:
        header = fields_of(text)
    except csv.Error:
        result.add(1, None, "is not a header of comma-separated column names")
        return None
    expected = rules.header if rules else MANDATORY_COLUMNS
    missing = [column for column in expected if column not in header]
    unknown = [column for column in header if rules and column not in rules.header]
    repeated = sorted({column for column in header if header.count(column) > 1})
    for label, columns in (("missing", missing), ("unknown", unknown), ("repeated", repeated)):
        if columns:
            hint = " (GetCSVHeader lists the pool's columns)" if label != "repeated" else ""
            result.add(1, None, f"{label} columns: {', '.join(columns)}{hint}")
    return None if missing or repeated else header


class RowRules:
    """The row rules compiled against one header: column positions looked up once a file."""

    def __init__(self, header: list[str], rules: PoolRules | None) -> None:
        at = {column: index for index, column in enumerate(header)}
        self.header = header
        self.width = len(header)
        self.username, self.mfa = at[USERNAME], at[MFA]
        self.verifiable = [(name, at[name], at[f"{name}_verified"]) for name in VERIFIABLE]
        self.mfa_mode = rules.mfa if rules else "OPTIONAL"
        #: The MFA values the mode takes, written as Cognito stores them.
        self.clean_mfa = {"ON": ("", "true"), "OFF": ("", "false")}.get(
            self.mfa_mode, ("", "true", "false")
        )
        self.auto_verified = [
            (name, at[f"{name}_verified"])
            for name in (rules.auto_verified if rules else ())
            if f"{name}_verified" in at
        ]
        self.auto_names = " or ".join(rules.auto_verified) if rules else ""
        self.required = [
            (name, at[name]) for name in sorted(rules.required if rules else ()) if name in at
        ]
        self.birthdate = at.get("birthdate")
        self.updated_at = at.get("updated_at")
        self.sign_in = rules.sign_in if rules else SignIn()
        #: The columns that tell users apart, the username first: (column, index, whether
        #: the pool compares its values ignoring case).
        self.identities = [
            (name, at[name], self.sign_in.folded(name))
            for name in (USERNAME, *self.sign_in.unique())
            if name in at
        ]
        #: Formats a username must not have: those of the aliases users sign in with.
        self.username_formats = [
            (name, FORMATS[name]) for name in self.sign_in.aliases if name in FORMATS
        ]
        #: The common pool: users told apart by their username alone, compared as written.
        self.username_only = self.identities == [(USERNAME, self.username, False)]
        self.schema = [(a, at[a.name]) for a in (rules.schema if rules else ()) if a.name in at]

    def clean(self, values: list[str]) -> bool:
        """Whether the row surely breaks no rule, tested on the values as they are: true only
        when each judged value is already as Cognito stores it (nothing to trim, flags in
        lower case), so that problems() would find nothing. False decides nothing: problems()
        judges the row. Most rows of most files are clean, and this is the cheap test."""
        username = values[self.username]
        if not username or " " in username or "\t" in username or username.strip() != username:
            return False
        if values[self.mfa] not in self.clean_mfa:
            return False
        flagged = False
        for _name, value_index, flag_index in self.verifiable:
            flag = values[flag_index]
            if flag == "true":
                value = values[value_index]
                if not value or value.isspace():
                    return False
                flagged = True
            elif flag == "false":
                flagged = True
            elif flag:
                return False
        if not flagged:
            return False
        if self.auto_verified:
            for _name, index in self.auto_verified:
                if values[index] == "true":
                    break
            else:
                return False
        for _name, index in self.required:
            if not values[index] or values[index].isspace():
                return False
        if self.birthdate is not None:
            birthdate = values[self.birthdate]
            if birthdate and not _valid_birthdate(birthdate):
                return False
        if self.updated_at is not None:
            updated_at = values[self.updated_at]
            if updated_at and not updated_at.isdigit():
                return False
        for _name, pattern in self.username_formats:
            if pattern.fullmatch(username):
                return False
        for attribute, index in self.schema:
            value = values[index]
            if value and not attribute.takes_as_is(value):
                return False
        return True

    def identity(self, values: list[str]) -> list[str]:
        """What the pool tells this row's user apart by: a value for each column of
        self.identities, as Cognito compares it (trimmed; in lower case where the pool
        ignores case), "" for none."""
        return [
            values[index].strip().lower() if folded else values[index].strip()
            for _name, index, folded in self.identities
        ]

    def repeated(self, column: int, earlier: int) -> str:
        """Why a row is refused whose identities[column] is that of line `earlier`."""
        name, _index, folded = self.identities[column]
        case = " when case is ignored, as the pool ignores it" if folded else ""
        if name == USERNAME:
            return f"repeats the username of line {earlier}{case}"
        setting = (
            "UsernameAttributes" if name in self.sign_in.username_attributes else "AliasAttributes"
        )
        return (
            f"repeats the {name} of line {earlier}{case}: users sign in with it (the pool's "
            f"{setting}), so no two may share it"
        )

    def problems(self, values: list[str]) -> list[tuple[str, str]]:
        """Every rule the row breaks, each value judged as Cognito stores it: trimmed."""
        found = []
        username = values[self.username].strip()
        if not username:
            found.append((USERNAME, "is required"))
        elif _SPACE_OR_TAB.search(username):
            found.append((USERNAME, "must not contain spaces or tabs"))
        mfa = values[self.mfa].strip().lower()
        if mfa and mfa not in BOOLEANS:
            found.append((MFA, "must be true, false or empty"))
        elif self.mfa_mode == "ON" and mfa == "false":
            found.append((MFA, "must be true or empty: the pool requires MFA"))
        elif self.mfa_mode == "OFF" and mfa == "true":
            found.append((MFA, "must be false or empty: MFA is off in the pool"))
        found += self._verification(values)
        for name, index in self.required:
            if not values[index].strip():
                found.append((name, "is required by the pool"))
        birthdate = values[self.birthdate].strip() if self.birthdate is not None else ""
        if birthdate and not _valid_birthdate(birthdate):
            found.append(("birthdate", "must be a date written mm/dd/yyyy"))
        updated_at = values[self.updated_at].strip() if self.updated_at is not None else ""
        if updated_at and not updated_at.isdigit():
            found.append(("updated_at", "must be a number of seconds since the epoch"))
        for name, pattern in self.username_formats:
            if pattern.fullmatch(username):
                found.append(
                    (
                        USERNAME,
                        f"must not have the format of a {name}: users of this pool sign in "
                        f"with their {name} (its AliasAttributes)",
                    )
                )
        for attribute, index in self.schema:
            value = values[index].strip()
            problem = attribute.problem(value) if value else None
            if problem:
                found.append((attribute.name, problem))
        return found

    def _verification(self, values: list[str]) -> list[tuple[str, str]]:
        """The verified flags; the pool's auto-verification only when they are well formed."""
        found = []
        any_flag = False
        for name, value_index, flag_index in self.verifiable:
            flag = values[flag_index].strip().lower()
            if not flag:
                continue
            any_flag = True
            if flag not in BOOLEANS:
                found.append((f"{name}_verified", "must be true, false or empty"))
            elif flag == "true" and not values[value_index].strip():
                found.append((name, f"is required when {name}_verified is true"))
        if not any_flag:
            found.append(("email_verified", "email_verified or phone_number_verified must be set"))
        if (
            not found
            and self.auto_verified
            and not any(
                values[index].strip().lower() == "true" for _name, index in self.auto_verified
            )
        ):
            found.append(
                (
                    f"{self.auto_verified[0][0]}_verified",
                    f"must be true: the pool auto-verifies {self.auto_names}, and imported users "
                    "need it verified to reset their passwords",
                )
            )
        return found


def check_line(
    number: int, text: str, row_rules: RowRules, result: Scan, columns: list[list[str]]
) -> None:
    """Record the row's problems, and append to each of `columns` (one a column of
    RowRules.identities) what tells its user apart: "" for a username that is none and for
    every column of a row not read. Kept a column at a time, so that the common pool (the
    username alone) builds no list a row."""
    values = _read(number, text, row_rules, result)
    if values is None:
        for column in columns:
            column.append("")
        return
    clean = row_rules.clean(values)
    if not clean:
        for name, message in row_rules.problems(values):
            result.add(number, name, message)
    if row_rules.username_only:
        username = values[row_rules.username].strip()
        columns[0].append(username if clean or not _SPACE_OR_TAB.search(username) else "")
        return
    identity = row_rules.identity(values)
    if not clean and _SPACE_OR_TAB.search(identity[0]):
        identity[0] = ""
    for column, value in zip(columns, identity, strict=True):
        column.append(value)


def _read(number: int, text: str, row_rules: RowRules, result: Scan) -> list[str] | None:
    """The line's values, or None with why they can't be read recorded."""
    if len(text) > MAX_ROW_CHARACTERS:
        result.add(
            number, None, f"is {len(text)} characters long; Cognito takes {MAX_ROW_CHARACTERS}"
        )
        return None
    if not text:
        result.add(number, None, "is empty; remove blank lines")
        return None
    if "\r" in text:
        _carriage_return(number, text, row_rules, result)
        return None
    try:
        values = fields_of(text)
    except csv.Error:
        result.add(number, None, "ends with a backslash; write a backslash in a value as \\\\")
        return None
    if len(values) != row_rules.width:
        result.add(
            number,
            None,
            f"has {len(values)} values for {row_rules.width} columns "
            "(write a comma inside a value as \\,)",
        )
        return None
    return values


def _carriage_return(number: int, text: str, row_rules: RowRules, result: Scan) -> None:
    """A carriage return inside a line ends the row for a CSV reader: the job would split it
    and store other values than the file holds. Name the column it is in."""
    try:
        marked = fields_of(text.replace("\r", "\0"))
    except csv.Error:  # it also ends with a backslash: the values can't be told apart
        marked = []
    column = next((i for i, value in enumerate(marked) if "\0" in value), None)
    name = (
        row_rules.header[column] if column is not None and len(marked) == row_rules.width else None
    )
    result.add(number, name, "holds a carriage return, which would end the row; remove it")


@lru_cache(maxsize=65_536)
def _valid_birthdate(value: str) -> bool:
    """mm/dd/yyyy naming a real day (cached: birthdates repeat across large files)."""
    if not _BIRTHDATE.fullmatch(value):
        return False
    month, day, year = int(value[:2]), int(value[3:5]), int(value[6:])
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1] and year >= 1
