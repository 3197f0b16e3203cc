"""The vectorized row test (csvblock.py) held to the reference rules, row by row.

scan() judges a block's rows with numpy and leaves to RowRules only the rows it can't call
clean. A clean row has no problems, so a file's problems (line, column, reason), parts,
rows and digest must be exactly those of the reference path, which judges every row with
RowRules (scan(..., vectorized=False)). These properties hold the two to that on generated
files whose values sit on every rule's edges, in blocks of any size.
"""

# Sources quoted in the docstrings (localaws/README.md, "Fidelity", has the table):
# [CSV] "Creating the user import CSV file", docs.aws.amazon.com/cognito/latest/developerguide/
#       cognito-user-pools-using-import-tool-csv-header.html (and shared/reference's record of it)

import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cognito_user_import import csvblock, csvscan
from cognito_user_import.attributes import Attribute, SignIn
from cognito_user_import.csvfile import PoolRules, RowRules
from cognito_user_import.csvscan import scan
from cognito_user_import.records import render
from tests.support import STANDARD_HEADER
from tests.test_csvfile_reading import COMMON_ROW, HEADER, JUDGED, POOLS, VALUES, pool_rules

#: More edges, of what the vectorized test reads from bytes: escapes and raw commas (the
#: row's width), carriage returns, leap days and impossible dates, a value past the
#: lengths it judges (usernames over 128 bytes, numbers over 32 digits), white space that is
#: not ASCII at either end, control characters, a NUL.
EDGES = [
    "a\\,b",
    "\\",
    "a,b",
    "x\r",
    "\rx",
    "02/29/2000",
    "02/29/1900",
    "00/01/2000",
    "01/00/2000",
    "01/02/0000",
    "1/2/1990",
    "12/31/9999",
    "u" * 129,
    "1" * 33,
    "\x85x",
    "x\x85",
    "\x1cx",
    "\x0bx",
    "\x00",
    "dé",
    "ann",
]
#: Values a column the rules do not judge may hold: what changes only the row's shape.
OTHER = ["", "Ann", "a\\,b", "a,b", "\\\\", "x\r"]
LINE_ENDS = ["\n", "\r\n"]


def cells(values: dict[str, str], others: list[str]) -> list[str]:
    judged = {**COMMON_ROW, **values}
    other = iter(others)
    return [judged[c] if c in JUDGED else next(other, "") for c in HEADER]


@st.composite
def files(draw: st.DrawFn) -> bytes:
    """Header, then rows one to four values away from a common row (their usernames drawn
    from a few, so that they repeat), each ending in LF or CRLF, with now and then a blank
    line or a line that is not UTF-8."""
    header = ",".join(HEADER) + draw(st.sampled_from(LINE_ENDS))
    lines = []
    for _ in range(draw(st.integers(min_value=0, max_value=14))):
        kind = draw(st.sampled_from(["row"] * 8 + ["blank", "not utf-8"]))
        if kind == "blank":
            lines.append(b"")
            continue
        if kind == "not utf-8":
            lines.append(b"\xff" + b"," * (len(HEADER) - 1))
            continue
        changes = draw(
            st.dictionaries(
                st.sampled_from(JUDGED), st.sampled_from(VALUES + EDGES) | st.text(), max_size=4
            )
        )
        usernames = ["ann", "bob", "dé", "Ann", "DÉ", "ann@example.com"]
        changes.setdefault("cognito:username", draw(st.sampled_from(usernames)))
        others = draw(st.lists(st.sampled_from(OTHER), max_size=3))
        line = ",".join(cells(changes, others)) + draw(st.sampled_from(LINE_ENDS))
        lines.append(line.rstrip("\n").encode())
    last_break: bool = draw(st.booleans())
    text = header.encode() + b"\n".join(lines)
    return text + (b"\n" if lines and last_break else b"")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=files(),
    block=st.integers(min_value=1, max_value=600),
    with_rules=st.booleans(),
    **POOLS,
)
def test_the_vectorized_test_finds_what_the_reference_finds(
    tmp_path_factory: pytest.TempPathFactory,
    data: bytes,
    block: int,
    with_rules: bool,
    mfa: str,
    auto_verified: tuple[str, ...],
    required: frozenset[str],
    sign_in: SignIn,
    schema: tuple[Attribute, ...],
) -> None:
    """Every problem, in order (line, column, reason), every part, the row count and the
    digest are the reference path's, whatever the pool (its schema and who is the same user
    in it too), with or without its rules, and whatever the blocks. Guide [CSV]: values are
    judged trimmed ("Any leading or trailing white space in an attribute value will be
    trimmed") and cognito:username is "unique in the pool": a repeat between a row judged by
    arrays and one judged by RowRules is found."""
    path = tmp_path_factory.mktemp("block") / "users.csv"
    path.write_bytes(data)
    pool = pool_rules(mfa, auto_verified, required, sign_in, schema)
    rules = pool if with_rules else None
    with mock.patch.object(csvscan, "_BLOCK", block):
        assert scan(path, rules, 3) == scan(path, rules, 3, vectorized=False)


def judged(tmp_path: Path, rows: list[dict[str, str]]) -> csvblock.JudgedBlock:
    path = tmp_path / "users.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        render(rows, STANDARD_HEADER, out)
    header, block = path.read_bytes().split(b"\n", 1)
    pool = PoolRules(tuple(STANDARD_HEADER), "OFF", auto_verified=("email",))
    return csvblock.judge(block, RowRules(header.decode().split(","), pool))


def test_rows_as_exporters_write_them_are_judged_by_arrays(tmp_path: Path) -> None:
    """The vectorized test must call ordinary rows clean, or it saves nothing (and the
    property above would hold of a test that passes nothing)."""
    rows = [{**COMMON_ROW, "cognito:username": f"user{n}", "name": f"User {n}"} for n in range(50)]
    for row in rows:
        row["phone_number_verified"], row["cognito:mfa_enabled"] = "false", "false"
    result = judged(tmp_path, rows)
    assert result.clean.all()
    assert len(set(result.keys[:, 0].tolist())) == 50 and 0 not in result.keys


def test_rows_it_cannot_read_from_plain_bytes_are_left_to_the_rules(tmp_path: Path) -> None:
    """An escaped comma changes the row's width in bytes; a name that is not ASCII at its end
    might be one Cognito trims. Both go to RowRules, which passes them."""
    common = {**COMMON_ROW, "phone_number_verified": "false", "cognito:mfa_enabled": "false"}
    rows = [
        {**common, "cognito:username": "plain"},
        {**common, "cognito:username": "comma", "address": "1 Main St, Springfield"},
        {**common, "cognito:username": "josé"},
    ]
    assert judged(tmp_path, rows).clean.tolist() == [True, False, False]


def test_a_repeat_between_a_clean_row_and_a_row_left_to_the_rules_is_found(
    tmp_path: Path,
) -> None:
    """Guide [CSV]: cognito:username is "unique in the pool". The same username is keyed
    from the block's bytes in one row and from RowRules' text in the other."""
    common = {**COMMON_ROW, "phone_number_verified": "false", "cognito:mfa_enabled": "false"}
    path = tmp_path / "users.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        render(
            [{**common, "cognito:username": "ann"}, {**common, "address": "1 Main St, Town"}],
            STANDARD_HEADER,
            out,
        )
    pool = PoolRules(tuple(STANDARD_HEADER), "OFF", auto_verified=("email",))
    assert scan(path, pool).summary() == [
        "line 3, column cognito:username: repeats the username of line 2"
    ]


def test_a_blocks_arrays_reuse_memory_instead_of_faulting_it_in_again() -> None:
    """csvblock raises glibc's mmap threshold when it loads (see the comment there): arrays
    of a few MiB in all, allocated and freed as each block is judged, then come back from the
    heap already resident instead of being handed back to the kernel each time. Counted in
    page faults, in a fresh interpreter."""
    script = (
        "import resource, numpy; import cognito_user_import.csvblock\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
        "for _ in range(10): arrays = [numpy.ones(1 << 17) for _ in range(4)]  # 4 x 1 MiB\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)"
    )
    faults = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    assert int(faults) < 3 * 1024  # what the first of the ten takes, 256 pages a MiB
