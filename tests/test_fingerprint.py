"""The fingerprint the scan cache trusts a verdict by: the same whether computed as a scan
reads (in pieces of any size, one after another) or from the file (segments on threads),
and different for any other content."""

from itertools import pairwise
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cognito_user_import import fingerprint
from cognito_user_import.fingerprint import Fingerprint, of_file


@settings(max_examples=300, deadline=None)
@given(
    data=st.binary(max_size=64),
    cuts=st.lists(st.integers(min_value=0, max_value=64)),
    segment=st.integers(min_value=1, max_value=9),
    read=st.integers(min_value=1, max_value=5),
)
def test_read_in_pieces_or_from_the_file_it_is_the_same(
    tmp_path_factory: pytest.TempPathFactory,
    data: bytes,
    cuts: list[int],
    segment: int,
    read: int,
) -> None:
    """Files of whole segments, of a partial last one, and empty; pieces that straddle
    segments or fall inside them."""
    path = tmp_path_factory.mktemp("fingerprint") / "users.csv"
    path.write_bytes(data)
    with (
        mock.patch.object(fingerprint, "SEGMENT", segment),
        mock.patch.object(fingerprint, "_READ", read),
    ):
        pieces = Fingerprint()
        bounds = sorted({0, len(data), *(cut for cut in cuts if cut < len(data))})
        for start, end in pairwise(bounds):
            pieces.update(data[start:end])
        assert pieces.hexdigest() == of_file(path)


@given(
    data=st.binary(min_size=1, max_size=40), at=st.integers(min_value=0), byte=st.integers(0, 255)
)
def test_any_changed_added_or_removed_byte_changes_it(data: bytes, at: int, byte: int) -> None:
    at %= len(data)
    changed = data[:at] + bytes([byte]) + data[at + 1 :]
    with mock.patch.object(fingerprint, "SEGMENT", 8):
        seen = set()
        for content in {data, changed, data + b"\0", data[:-1]}:
            one = Fingerprint()
            one.update(content)
            seen.add(one.hexdigest())
    assert len(seen) == len({data, changed, data + b"\0", data[:-1]})


def test_a_file_of_many_segments_is_hashed_on_threads(tmp_path: Path) -> None:
    """Beyond the thread pool's first segment, so that the order of the segments' digests
    matters (a swapped pair must not give the same fingerprint)."""
    path = tmp_path / "users.csv"
    first, second = b"a" * fingerprint.SEGMENT, b"b" * fingerprint.SEGMENT
    path.write_bytes(first + second + b"c")
    swapped = Fingerprint()
    swapped.update(second + first + b"c")
    whole = Fingerprint()
    whole.update(path.read_bytes())
    assert of_file(path) == whole.hexdigest() != swapped.hexdigest()
