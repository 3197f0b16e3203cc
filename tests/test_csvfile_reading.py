"""How the validator reads a file fast, held to the plain reading it replaced.

scan() hashes, splits and decodes whole blocks in C, and tests each row with a cheap
sufficient test (RowRules.clean) before the exact one (RowRules.problems). These properties
hold both shortcuts to the plain line-by-line reading and to the exact rules, on generated
input: a shortcut that changed an answer would fail here.
"""

# Sources quoted in the docstrings (localaws/README.md, "Fidelity", has the table):
# [CSV] "Creating the user import CSV file", docs.aws.amazon.com/cognito/latest/developerguide/
#       cognito-user-pools-using-import-tool-csv-header.html (and shared/reference's record of it)

import io
from typing import Any
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cognito_user_import import csvfile, csvscan
from cognito_user_import.attributes import Attribute, SignIn
from cognito_user_import.csvfile import PoolRules, RowRules
from cognito_user_import.csvscan import scan
from cognito_user_import.records import render
from cognito_user_import.usernames import Identities, keys_of_names
from tests.support import STANDARD_HEADER

#: Pieces of lines: ASCII, other UTF-8, a byte that is not UTF-8, CR, escapes, commas.
PIECES = [b"a", b"user,", b"\xc3\xa9", b"\xe2\x80\xaf", b"\xff", b"\r", b"\\,", b"\\", b",", b" "]


def plain_lines(data: bytes) -> list[tuple[str | None, int]]:
    """What reading the file line by line gives: each line's text without its break (None
    if it is not UTF-8) and its size in bytes."""
    found: list[tuple[str | None, int]] = []
    for raw in io.BytesIO(data):
        try:
            found.append((raw.decode("utf-8").rstrip("\r\n"), len(raw)))
        except UnicodeDecodeError:
            found.append((None, len(raw)))
    return found


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map(b"".join), max_size=8),
    last_break=st.booleans(),
    block=st.integers(min_value=1, max_value=24),
)
@example(lines=[b"\xc3\xa9" * 10], last_break=False, block=1)  # a line longer than a block
def test_blocks_of_lines_are_the_files_lines(
    lines: list[bytes], last_break: bool, block: int
) -> None:
    data = b"\n".join(lines) + (b"\n" if last_break and lines else b"")
    with mock.patch.object(csvscan, "_BLOCK", block):
        read = [
            line
            for chunk in csvscan._blocks(io.BytesIO(data))
            for line in zip(csvfile.block_lines(chunk), csvscan._line_sizes(chunk), strict=True)
        ]
    assert read == plain_lines(data)


#: Values of the judged columns, chosen to sit on each rule's edges: case, white space that
#: Cognito trims (a no-break space too), empty, malformed and impossible dates, digits that
#: are not ASCII.
VALUES = [
    "",
    "true",
    "false",
    "TRUE",
    " true",
    "yes",
    "x",
    " ",
    "\xa0",
    "a b",
    "a\tb",
    " a",
    "a\u202f",
    "01/02/1990",
    "02/30/1990",
    " 01/02/1990",
    "1700000000",
    "\uff11\uff17",  # digits, not ASCII ones
    # The edges of the pool's schema and sign-in settings (attributes.py): numbers and
    # their bounds, lengths in characters and in bytes, dates and times, case, the formats
    # a username must not have where users sign in by email or phone number.
    "-1",
    "+7",
    "150",
    "151",
    "0" * 19 + "1",
    "dé",
    "déjà",
    "abcdef",
    "2024-05-06T07:08:09",
    "True",
    "ANN",
    "Ann",
    "ann@example.com",
    "Ann@Example.com",
    "+15555550100",
]
#: Custom attributes of the pools drawn below, one of each kind the schema has.
CUSTOM_COLUMNS = ["custom:age", "custom:vip", "custom:since", "dev:custom:secret"]
HEADER = [*STANDARD_HEADER, *CUSTOM_COLUMNS]
JUDGED = (
    "cognito:username",
    "cognito:mfa_enabled",
    "email",
    "email_verified",
    "phone_number",
    "phone_number_verified",
    "given_name",
    "birthdate",
    "updated_at",
    "nickname",
    "preferred_username",
    *CUSTOM_COLUMNS,
)


#: A row as exporters write it, which the cheap test passes for every pool below.
COMMON_ROW = {
    "cognito:username": "ann",
    "cognito:mfa_enabled": "",
    "email": "ann@example.com",
    "email_verified": "true",
    "phone_number": "+15555550100",
    "phone_number_verified": "true",
    "given_name": "Ann",
    "birthdate": "01/02/1990",
    "updated_at": "1700000000",
    "nickname": "ann",
    "preferred_username": "annie",
    "custom:age": "42",
    "custom:vip": "true",
    "custom:since": "",
    "dev:custom:secret": "",
}
#: Schema attributes that can refuse a value: lengths (a minimum in characters, which bytes
#: don't tell), a bounded number, a boolean, a date and time, a developer-only attribute.
SCHEMA = [
    Attribute("nickname", min_length=2, max_length=5),
    Attribute("given_name", max_length=3),
    Attribute("custom:age", "Number", min_value=0, max_value=150),
    Attribute("custom:vip", "Boolean"),
    Attribute("custom:since", "DateTime"),
    Attribute("dev:custom:secret", developer_only=True),
]


def pool_rules(
    mfa: str,
    auto_verified: tuple[str, ...],
    required: frozenset[str],
    sign_in: SignIn | None = None,
    schema: tuple[Attribute, ...] = (),
) -> PoolRules:
    return PoolRules(tuple(HEADER), mfa, required, auto_verified, schema, sign_in or SignIn())


def row_rules(*pool: Any) -> RowRules:
    return RowRules(list(HEADER), pool_rules(*pool))


POOLS = {
    "mfa": st.sampled_from(["OFF", "ON", "OPTIONAL"]),
    "auto_verified": st.sampled_from(
        [(), ("email",), ("phone_number",), ("email", "phone_number")]
    ),
    "required": st.sampled_from([frozenset(), frozenset({"given_name"}), frozenset({"email"})]),
    # Cognito takes UsernameAttributes or AliasAttributes, not both.
    "sign_in": st.builds(
        SignIn,
        case_sensitive=st.booleans(),
        username_attributes=st.sampled_from([(), ("email",), ("email", "phone_number")]),
    )
    | st.builds(
        SignIn,
        case_sensitive=st.booleans(),
        aliases=st.sampled_from(
            [
                ("email",),
                ("phone_number",),
                ("preferred_username",),
                ("email", "phone_number", "preferred_username"),
            ]
        ),
    ),
    "schema": st.lists(st.sampled_from(SCHEMA), unique=True).map(tuple),
}


@settings(max_examples=3000, deadline=None)
@given(
    changes=st.dictionaries(st.sampled_from(JUDGED), st.sampled_from(VALUES), max_size=3),
    **POOLS,
)
def test_a_row_the_cheap_test_passes_breaks_no_rule(
    changes: dict[str, str],
    mfa: str,
    auto_verified: tuple[str, ...],
    required: frozenset[str],
    sign_in: SignIn,
    schema: tuple[Attribute, ...],
) -> None:
    """Rows one to three values away from a common row, each value on a rule's edge. The
    cheap test reads values as they are, the rules as Cognito stores them: [CSV] "Any leading
    or trailing white space in an attribute value will be trimmed." So a padded value must
    never pass the cheap test where its trimmed value breaks a rule."""
    rules = row_rules(mfa, auto_verified, required, sign_in, schema)
    values = {**COMMON_ROW, **changes}
    row = [values.get(column, "") for column in HEADER]
    if rules.clean(row):
        assert rules.problems(row) == []


@given(**POOLS)
def test_the_common_row_takes_the_cheap_test(
    mfa: str,
    auto_verified: tuple[str, ...],
    required: frozenset[str],
    sign_in: SignIn,
    schema: tuple[Attribute, ...],
) -> None:
    """The cheap test must pass rows as exporters write them, or it saves nothing."""
    rules = row_rules(mfa, auto_verified, required, sign_in, schema)
    assert rules.clean([COMMON_ROW.get(column, "") for column in HEADER])


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries({name: st.sampled_from(VALUES) for name in JUDGED}), max_size=12
    ),
    block=st.integers(min_value=1, max_value=300),
    rows_per_job=st.integers(min_value=1, max_value=5),
)
def test_a_scan_does_not_depend_on_the_block_size(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[dict[str, str]],
    block: int,
    rows_per_job: int,
) -> None:
    """Problems (line, column, reason), parts (byte ranges), rows and digest are the same
    whether the file is read in blocks of a few bytes or whole."""
    path = tmp_path_factory.mktemp("scan") / "users.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        render(rows, STANDARD_HEADER, out)
    rules = PoolRules(tuple(STANDARD_HEADER), "OFF", auto_verified=("email",))
    whole = scan(path, rules, rows_per_job)
    with mock.patch.object(csvscan, "_BLOCK", block):
        assert scan(path, rules, rows_per_job) == whole
    assert whole.rows == len(rows)
    assert sum(part.rows for part in whole.parts) == len(rows)


def exact_repeats(usernames: list[str]) -> list[tuple[int, int]]:
    """(line, line it repeats) from a dict of every username: what the keys must give."""
    first: dict[str, int] = {}
    found = []
    for line, username in enumerate(usernames, start=2):
        if username in first:
            found.append((line, first[username]))
        elif username:
            first[username] = line
    return found


@settings(max_examples=300, deadline=None)
@given(
    usernames=st.lists(
        st.sampled_from(
            [
                "",
                "ada",
                "bob",
                "cy",
                "dé",
                "Ada",
                "e\u202f",
                "a\0",
                "a\0\0",
                "abcdefgh",
                "abcdefgh\0",
            ]
        )
        | st.text()
    ),
    block=st.integers(min_value=1, max_value=10),
)
def test_the_username_keys_find_exactly_the_repeats(usernames: list[str], block: int) -> None:
    """Guide [CSV]: cognito:username is "unique in the pool". Keys are hashed eight bytes a
    step with the length, so names that differ only in trailing NULs, or in the word past
    the first, are told apart; whatever the blocks, the repeats are named exactly as a dict
    of every username names them."""
    found = Identities(1)
    for start in range(0, len(usernames), block):
        found.extend(keys_of_names(usernames[start : start + block])[:, None])
    assert [(line, earlier) for _column, line, earlier in found.repeats()] == exact_repeats(
        usernames
    )
