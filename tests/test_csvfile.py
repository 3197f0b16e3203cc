"""The product's own CSV validation (independent of localaws's): one test per rule."""

# Sources quoted in the tests' docstrings (localaws/README.md, "Fidelity", has the table):
# [CSV] "Creating the user import CSV file", docs.aws.amazon.com/cognito/latest/developerguide/
#       cognito-user-pools-using-import-tool-csv-header.html (and shared/reference's record of it)
# [LOG] "Viewing the user pool import results in the CloudWatch console",
#       .../developerguide/cognito-user-pools-using-import-tool-cloudwatch.html

import hashlib
import io
from pathlib import Path

import pytest

from cognito_user_import.csvfile import MAX_BYTES_PER_JOB, PoolRules, Scan
from cognito_user_import.csvscan import scan
from cognito_user_import.records import record_problems, render
from tests.support import STANDARD_HEADER

HEADER = STANDARD_HEADER
RULES = PoolRules(header=tuple(HEADER), mfa="OFF", auto_verified=("email",))


def row(username: str, **values: str) -> dict[str, str]:
    record = dict.fromkeys(HEADER, "")
    record.update(
        {
            "cognito:username": username,
            "cognito:mfa_enabled": "false",
            "email": f"{username}@example.com",
            "email_verified": "true",
        }
    )
    record.update(values)
    return record


def write(tmp_path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    path = tmp_path / "users.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        render(rows, header, out)
    return path


def problems(result: Scan) -> list[str]:
    return result.summary()


def only_problem(tmp_path: Path, **values: str) -> str:
    result = scan(write(tmp_path, [row("good"), row("bad", **values)]), RULES)
    [problem] = problems(result)
    return problem


def test_a_valid_file_has_no_problems_one_part_and_its_hash(tmp_path: Path) -> None:
    """Guide [CSV]: "All columns in the header must be present, but you don't need to provide
    values in every column."
    """
    path = write(tmp_path, [row("ada"), row("bob", address="1 Main St, Springfield")])
    result = scan(path, RULES)
    assert problems(result) == []
    assert result.rows == 2
    assert result.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    [part] = result.parts
    assert (part.first_line, part.rows) == (2, 2)
    assert result.header + path.read_bytes()[part.start : part.end] == path.read_bytes()


def test_missing_and_unknown_columns_are_named(tmp_path: Path) -> None:
    """Guide [CSV]: the header is GetCSVHeader's; "All columns in the header must be present"."""
    header = [c for c in HEADER if c != "locale"] + ["shoe_size"]
    result = scan(write(tmp_path, [row("ada")], header), RULES)
    assert problems(result) == [
        "line 1: missing columns: locale (GetCSVHeader lists the pool's columns)",
        "line 1: unknown columns: shoe_size (GetCSVHeader lists the pool's columns)",
    ]


def test_a_repeated_column_is_named(tmp_path: Path) -> None:
    """Guide [CSV]: the header is GetCSVHeader's columns, each once."""
    result = scan(write(tmp_path, [row("ada")], [*HEADER, "email"]), RULES)
    assert "line 1: repeated columns: email" in problems(result)


def test_without_the_pool_the_mandatory_columns_are_still_checked(tmp_path: Path) -> None:
    """Guide [CSV]: "The following attributes are required: cognito:username ... email_verified or
    phone_number_verified".
    """
    header = [c for c in HEADER if c != "cognito:mfa_enabled"]
    result = scan(write(tmp_path, [row("ada")], header), None)
    assert problems(result) == [
        "line 1: missing columns: cognito:mfa_enabled (GetCSVHeader lists the pool's columns)"
    ]


def test_a_byte_order_mark_is_refused(tmp_path: Path) -> None:
    """Guide [CSV] (shared/reference): "UTF-8 without BOM"."""
    path = write(tmp_path, [row("ada")])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert problems(scan(path, RULES)) == [
        "line 1: starts with a byte order mark; save the file as UTF-8 without BOM"
    ]


def test_invalid_utf8_names_its_line(tmp_path: Path) -> None:
    """Guide [CSV] (shared/reference): the file is UTF-8."""
    path = write(tmp_path, [row("ada"), row("zoe", given_name="Zoë")])
    path.write_bytes(path.read_bytes().replace("Zoë".encode(), "Zoë".encode("latin-1")))
    assert problems(scan(path, RULES)) == ["line 3: is not valid UTF-8; save the file as UTF-8"]


def test_an_empty_file_needs_a_header(tmp_path: Path) -> None:
    """Guide [CSV]: "The first row in the file is the downloaded header row"."""
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert "the file is empty" in problems(scan(path, RULES))[0]


def test_a_line_over_16000_characters(tmp_path: Path) -> None:
    """Guide [CSV] (shared/reference): "rows at most 16,000 characters"."""
    problem = only_problem(tmp_path, profile="x" * 16_000)
    assert problem.startswith("line 3: is 16") and "Cognito takes 16000" in problem


def test_an_unescaped_comma_shifts_the_columns(tmp_path: Path) -> None:
    """Guide [CSV] (shared/reference): "values unquoted; a literal comma is written \\,"."""
    path = write(tmp_path, [row("ada")])
    path.write_text(
        path.read_text() + path.read_text().splitlines()[1].replace("ada@", "a,da@") + "\n"
    )
    assert problems(scan(path, RULES)) == [
        "line 3: has 22 values for 21 columns (write a comma inside a value as \\,)"
    ]


def test_an_escaped_comma_is_one_value(tmp_path: Path) -> None:
    """Guide [CSV] (shared/reference): "a literal comma is written \\,"."""
    result = scan(write(tmp_path, [row("ada", address="1 Main St, Springfield")]), RULES)
    assert problems(result) == []


def test_a_trailing_backslash_is_refused(tmp_path: Path) -> None:
    """Guide [CSV] (shared/reference): a backslash escapes the character after it; none follows
    here.
    """
    path = write(tmp_path, [row("ada")])
    path.write_text(path.read_text().rstrip("\n") + "\\\n")
    assert problems(scan(path, RULES)) == [
        "line 2: ends with a backslash; write a backslash in a value as \\\\"
    ]


def test_a_blank_line_is_refused(tmp_path: Path) -> None:
    """Guide [CSV]: "Each row after the first row contains the attribute values for a user." """
    path = write(tmp_path, [row("ada")])
    path.write_text(path.read_text() + "\n")
    assert problems(scan(path, RULES)) == ["line 3: is empty; remove blank lines"]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"cognito:username": ""}, "column cognito:username: is required"),
        ({"cognito:username": "jo hn"}, "column cognito:username: must not contain spaces or tabs"),
        ({"cognito:username": "jo\thn"}, "column cognito:username: must not contain spaces or"),
        ({"cognito:mfa_enabled": "yes"}, "column cognito:mfa_enabled: must be true, false or"),
        ({"cognito:mfa_enabled": "true"},
         "column cognito:mfa_enabled: must be false or empty: MFA is off"),
        ({"phone_number_verified": "maybe"}, "phone_number_verified: must be true, false or"),
        ({"email_verified": "", "phone_number_verified": ""}, "phone_number_verified must be set"),
        ({"email": ""}, "column email: is required when email_verified is true"),
        ({"phone_number_verified": "true"}, "column phone_number: is required when phone_number_"),
        ({"email_verified": "false", "phone_number": "+15550100", "phone_number_verified": "true"},
         "column email_verified: must be true: the pool auto-verifies email"),
        ({"birthdate": "1990-02-01"}, "column birthdate: must be a date written mm/dd/yyyy"),
        ({"birthdate": "02/30/1990"}, "column birthdate: must be a date written mm/dd/yyyy"),
        ({"updated_at": "yesterday"}, "column updated_at: must be a number of seconds since"),
    ],
)  # fmt: skip
def test_row_rules_name_line_and_column(
    tmp_path: Path, values: dict[str, str], expected: str
) -> None:
    """Guide [CSV]: "The following attributes are required: cognito:username, ... email_verified
    or phone_number_verified, email (if email_verified is true), phone_number (if
    phone_number_verified is true)"; "At least one of the auto-verified attributes must be true
    for each user"; cognito:username has "no spaces or tabs"; MFA off -> "false or blank";
    birthdate mm/dd/yyyy and updated_at epoch seconds (shared/reference).
    """
    problem = only_problem(tmp_path, **values)
    assert problem.startswith("line 3, ") and expected in problem


def test_mfa_must_be_true_when_the_pool_requires_it(tmp_path: Path) -> None:
    """Guide [CSV]: MFA required -> "true or blank"."""
    rules = PoolRules(header=tuple(HEADER), mfa="ON", auto_verified=("email",))
    result = scan(
        write(tmp_path, [row("ada", **{"cognito:mfa_enabled": "true"}), row("bob")]), rules
    )
    assert problems(result) == [
        "line 3, column cognito:mfa_enabled: must be true or empty: the pool requires MFA"
    ]


def test_attributes_the_pool_requires(tmp_path: Path) -> None:
    """Guide [CSV]: required: "Any attributes that you marked as required when you created the
    user pool".
    """
    rules = PoolRules(header=tuple(HEADER), mfa="OFF", required=frozenset({"family_name"}))
    result = scan(write(tmp_path, [row("ada", family_name="Lovelace"), row("bob")]), rules)
    assert problems(result) == ["line 3, column family_name: is required by the pool"]


def test_repeated_usernames_name_both_lines(tmp_path: Path) -> None:
    """Guide [CSV]: cognito:username is "unique in the pool"."""
    rows = [row("ada"), row("bob"), row("ada"), row("cy"), row("bob"), row("ada")]
    assert problems(scan(write(tmp_path, rows), RULES)) == [
        "line 4, column cognito:username: repeats the username of line 2",
        "line 6, column cognito:username: repeats the username of line 3",
        "line 7, column cognito:username: repeats the username of line 2",
    ]


def test_problems_never_quote_values(tmp_path: Path) -> None:
    result = scan(write(tmp_path, [row("secret name", email="", birthdate="bad-date")]), RULES)
    text = " ".join(problems(result))
    assert "secret" not in text and "bad-date" not in text and "example.com" not in text


def test_many_problems_are_counted_past_the_first_twenty(tmp_path: Path) -> None:
    result = scan(write(tmp_path, [row(f"u{i}", birthdate="x") for i in range(30)]), RULES)
    listed = problems(result)
    assert len(listed) == 21 and listed[-1] == "... and 10 more problems"
    assert result.problem_count == 30


def test_users_are_named_by_their_index(tmp_path: Path) -> None:
    result = scan(write(tmp_path, [row("ada"), row("bob", email="")]), RULES)
    assert result.summary(records=True) == [
        "users[1] (CSV line 3), column email: is required when email_verified is true"
    ]


def test_rows_per_job_splits_into_parts_at_line_boundaries(tmp_path: Path) -> None:
    """Guide [CSV] (shared/reference): "at most 100 MB and 500,000 rows a file": larger files
    become several jobs.
    """
    path = write(tmp_path, [row(f"u{i}") for i in range(5)])
    result = scan(path, RULES, rows_per_job=2)
    assert [(p.first_line, p.rows) for p in result.parts] == [(2, 2), (4, 2), (6, 1)]
    data = path.read_bytes()
    rebuilt = result.header + b"".join(data[p.start : p.end] for p in result.parts)
    assert rebuilt == data


def test_a_part_never_exceeds_100_mb(tmp_path: Path) -> None:
    """Guide [CSV] (shared/reference): "at most 100 MB ... a file"."""
    line = ("x" * 15_000 + "\n").encode()
    path = tmp_path / "wide.csv"
    with path.open("wb") as out:
        out.write(b"h\n")
        for _ in range(MAX_BYTES_PER_JOB // len(line) + 10):
            out.write(line)
    result = scan(path, None)
    assert len(result.parts) == 2
    assert all(len(result.header) + p.end - p.start <= MAX_BYTES_PER_JOB for p in result.parts)
    assert sum(p.rows for p in result.parts) == result.rows


def test_render_writes_booleans_and_escapes_commas() -> None:
    """Guide [CSV] (shared/reference): "values unquoted; a literal comma is written \\,"."""
    out = io.StringIO()
    render([{"cognito:username": "ada", "email_verified": True, "address": "a, b", "name": None}],
           ["name", "address", "email_verified", "cognito:username"], out)  # fmt: skip
    assert out.getvalue() == "name,address,email_verified,cognito:username\n,a\\, b,true,ada\n"


# -- The current guide's words, rule by rule ------------------------------------------------


@pytest.mark.parametrize("mode", ["OFF", "ON", "OPTIONAL"])
def test_a_blank_mfa_value_takes_the_pools_setting(tmp_path: Path, mode: str) -> None:
    """Guide: "MFA required -> true or blank; MFA off -> false or blank; a blank value sets
    the state the pool requires"."""
    rules = PoolRules(header=tuple(HEADER), mfa=mode, auto_verified=("email",))
    result = scan(write(tmp_path, [row("ada", **{"cognito:mfa_enabled": ""})]), rules)
    assert problems(result) == []


def test_booleans_are_read_in_any_case_as_the_guides_sample_writes_them(tmp_path: Path) -> None:
    """Guide's sample file: `TRUE` / `FALSE`."""
    values = {"email_verified": "TRUE", "cognito:mfa_enabled": "FALSE"}
    assert problems(scan(write(tmp_path, [row("ada", **values)]), RULES)) == []


def test_values_are_judged_as_cognito_stores_them_trimmed(tmp_path: Path) -> None:
    """Guide: "Any leading or trailing white space in an attribute value will be trimmed"."""
    padded = {"cognito:username": " ada ", "email_verified": " true", "birthdate": "01/02/1990 "}
    assert problems(scan(write(tmp_path, [row("ada", **padded)]), RULES)) == []
    twice = scan(write(tmp_path, [row("ada"), row("ada", **{"cognito:username": "ada\t"})]), RULES)
    assert problems(twice) == ["line 3, column cognito:username: repeats the username of line 2"]


def test_a_carriage_return_inside_a_value_is_named_by_line_and_column(tmp_path: Path) -> None:
    """A reader ends the row there: the job would store other values than the file holds."""
    path = write(tmp_path, [row("ada"), row("bob")])
    path.write_bytes(path.read_bytes().replace(b"bob@example.com", b"bob@exam\rple.com"))
    assert problems(scan(path, RULES)) == [
        "line 3, column email: holds a carriage return, which would end the row; remove it"
    ]


def test_a_carriage_return_in_a_row_that_ends_with_a_backslash_is_still_named(
    tmp_path: Path,
) -> None:
    """Guide [CSV]: "Each row after the first row contains the attribute values for a user."
    A carriage return would end the row early; here the row also ends with a backslash, so
    its values can't be split ("a literal comma is written \\,", shared/reference) and the
    problem names the line only. Found by the property test of the vectorized rows
    (test_csvblock.py): the validator used to crash on it."""
    path = write(tmp_path, [row("ada"), row("bob")])
    data = path.read_bytes().replace(b"bob@example.com", b"bob@exam\rple.com")
    path.write_bytes(data.rstrip(b"\n") + b"\\")
    assert problems(scan(path, RULES)) == [
        "line 3: holds a carriage return, which would end the row; remove it"
    ]


def test_windows_line_endings_are_line_endings(tmp_path: Path) -> None:
    path = write(tmp_path, [row("ada"), row("bob")])
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert problems(scan(path, RULES)) == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("two\nlines", "users[0].name: holds a line break, which a CSV row cannot carry"),
        ("a\rb", "users[0].name: holds a line break, which a CSV row cannot carry"),
        (" padded", "users[0].name: has white space at its start or end, which Cognito trims"),
        ({"nested": 1}, "users[0].name: must be text, a number, true or false"),
    ],
)
def test_declared_values_that_would_not_arrive_as_declared_are_refused(
    value: object, expected: str
) -> None:
    [problem] = record_problems([{"cognito:username": "ada", "name": value}], HEADER)
    assert problem.startswith(expected)
    assert "two" not in problem and "padded" not in problem
