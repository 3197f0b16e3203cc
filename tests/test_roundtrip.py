"""Users declared in code arrive in Cognito exactly as declared, or preview refuses them.

Property-based: random records with commas, backslashes, quotes, line breaks, white space
and non-ASCII text are checked by the provider (preview), imported into localaws over HTTP,
and read back user by user.
"""

from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pulumi.runtime import rpc

from tests.support import Aws, configured, outs_of
from tests.test_import_as_code import logging_role

FREE_TEXT = ("given_name", "family_name", "nickname", "address")
ANY_TEXT = st.text(alphabet=st.sampled_from([*"ab ,\\\"'é漢\t\n\r", "😀"]), max_size=12)
#: Half the values can be carried: commas, backslashes, quotes and inner white space.
CARRIED = st.text(alphabet=st.sampled_from([*"ab ,\\\"'é漢\t", "😀"]), max_size=12).map(str.strip)
CLEAN = st.lists(
    st.fixed_dictionaries({name: CARRIED for name in FREE_TEXT}), min_size=1, max_size=6
)


@st.composite
def records_(draw: st.DrawFn) -> list[dict[str, str]]:
    """Carried values, and in half the examples one value of any text at all."""
    records = draw(CLEAN)
    if draw(st.booleans()):
        index = draw(st.integers(0, len(records) - 1))
        records[index][draw(st.sampled_from(FREE_TEXT))] = draw(ANY_TEXT)
    return records


RECORDS = records_()


def refused(value: str) -> bool:
    """What preview must refuse: a value a CSV row cannot carry or that Cognito would trim."""
    return "\n" in value or "\r" in value or value != value.strip()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=RECORDS)
def test_declared_users_round_trip_or_are_refused(aws: Aws, records: list[dict[str, str]]) -> None:
    pool = aws.pool("roundtrip")
    users: list[dict[str, Any]] = [
        {
            **record,
            "cognito:username": f"user{index}",
            "email": f"user{index}@example.com",
            "email_verified": True,
            "cognito:mfa_enabled": False,
        }
        for index, record in enumerate(records)
    ]
    provider = configured(aws.endpoint)
    news = {
        "user_pool_id": pool,
        "job_name": "round trip",
        "cloud_watch_logs_role_arn": logging_role(aws),
        "users": users,
    }
    checked = provider.check({}, news)
    expected_refusals = {
        f"users[{index}].{name}"
        for index, record in enumerate(records)
        for name, value in record.items()
        if refused(value)
    }
    failed = {failure.reason.split(":")[0] for failure in checked.failures}
    assert failed == expected_refusals, [f.reason for f in checked.failures]
    event("refused in preview" if expected_refusals else "imported")
    if expected_refusals:
        return

    inputs = {name: rpc.unwrap_rpc_secret(value) for name, value in checked.inputs.items()}
    uploaded = outs_of(provider.create(inputs))  # rendered and uploaded
    final = aws.run_to_end(pool, uploaded["job_id"])  # started and polled without sleeping
    assert final["ImportedUsers"] == len(users)
    for index, record in enumerate(records):
        stored = aws.cognito.admin_get_user(UserPoolId=pool, Username=f"user{index}")
        attributes = {a["Name"]: a["Value"] for a in stored["UserAttributes"]}
        for name, value in record.items():
            assert attributes.get(name, "") == value, (name, value)
