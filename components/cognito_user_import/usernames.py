"""Who is the same user across a file: a 64-bit key a row for each column that tells users
apart (the username, and the attributes users sign in with), compared once at the end.

Keys are computed with numpy over the UTF-8 bytes of many usernames at once, because one
Python call a row is what bounded validation's speed. The same function keys the usernames
the vectorized rows give (spans of a block's bytes) and those the row-by-row rules give
(decoded text, encoded again), so a repeat is found whichever way each row was judged.
"""

import secrets
from collections.abc import Iterator, Sequence

import numpy as np
import numpy.typing as npt

Positions = npt.NDArray[np.int64]
Keys = npt.NDArray[np.int64]

#: Drawn once a process, as Python's own string hash is: usernames that collide can't be
#: crafted without it. A collision would report a repeat that isn't one (about n**2 / 2**65
#: for n rows: 1 in 50 million for 500,000 rows).
_SEED = np.uint64(secrets.randbits(64))
#: _LOW[k]: the k low bytes of a 64-bit number (k = 0..8).
_LOW = np.array([(1 << 8 * k) - 1 for k in range(9)], np.uint64)
#: Zeros after the bytes keys_of reads, so that every span has its 8-byte windows.
PADDING = bytes(7)


def words(data: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint64]:
    """Every 8-byte window of data as one little-endian number, word i being bytes i to
    i + 7: a view, not a copy, so that a row's word is one read."""
    return np.ndarray((len(data) - 7,), np.dtype("<u8"), buffer=data, strides=(1,))


def low_bytes(lengths: Positions) -> npt.NDArray[np.uint64]:
    """Masks keeping the first min(length, 8) bytes of a word."""
    mask: npt.NDArray[np.uint64] = _LOW[np.minimum(lengths, 8)]
    return mask


def _mixed(value: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finalizer: a bijection in which each input bit flips about half of the
    output bits."""
    value = value ^ (value >> np.uint64(30))
    value = value * np.uint64(0xBF58476D1CE4E5B9)
    value = value ^ (value >> np.uint64(27))
    value = value * np.uint64(0x94D049BB133111EB)
    return value ^ (value >> np.uint64(31))


def keys_of(data: npt.NDArray[np.uint8], starts: Positions, ends: Positions) -> Keys:
    """The key of each span data[start:end]: 0 for an empty one (a row without a username),
    else a keyed hash of its bytes and length. Eight bytes a step, each step over only the
    spans still that long, so the work is the spans' total size however long the longest.
    `data` ends with PADDING (or more) after its last span."""
    lengths = ends - starts
    hashed = _SEED ^ lengths.astype(np.uint64)
    windows = words(data)
    for offset in range(0, int(lengths.max(initial=0)), 8):
        rows = np.flatnonzero(lengths > offset)
        word = windows[starts[rows] + offset] & low_bytes(lengths[rows] - offset)
        hashed[rows] = _mixed(hashed[rows] ^ word)
    keys = _mixed(hashed).view(np.int64)
    keys[keys == 0] = 1  # 0 means "no username"
    keys[lengths == 0] = 0
    return keys


def keys_of_names(names: Sequence[str]) -> Keys:
    """keys_of for decoded values ("" for a row without one)."""
    encoded = [name.encode() for name in names]
    lengths = np.fromiter(map(len, encoded), np.int64, len(encoded))
    ends = np.cumsum(lengths)
    starts = ends - lengths
    return keys_of(np.frombuffer(b"".join(encoded) + PADDING, np.uint8), starts, ends)


class Identities:
    """Every row's keys in file order, one for each column that tells users apart (8 bytes
    a row and column); sorted once at the end, a column at a time, which finds the repeated
    keys in one C pass (another 8 bytes a row while it runs)."""

    def __init__(self, columns: int) -> None:
        self._columns = columns
        self._blocks: list[Keys] = []

    def extend(self, keys: Keys) -> None:
        """The keys of the rows that follow, in file order: one row of `keys` a row."""
        self._blocks.append(keys)

    def repeats(self) -> Iterator[tuple[int, int, int]]:
        """(column, line, line it repeats) for every repeated value, a column at a time, in
        file order."""
        if not self._blocks:
            return
        keys = np.concatenate(self._blocks)
        self._blocks = [keys]
        for column in range(self._columns):
            for line, earlier in _repeats(keys[:, column]):
                yield column, line, earlier


def _repeats(keys: Keys) -> Iterator[tuple[int, int]]:
    ordered = np.sort(keys)
    repeated = ordered[1:][(ordered[1:] == ordered[:-1]) & (ordered[1:] != 0)]
    if not repeated.size:
        return
    first: dict[int, int] = {}
    for row in np.flatnonzero(np.isin(keys, repeated)).tolist():
        key, line = int(keys[row]), row + 2
        if key in first:
            yield line, first[key]
        else:
            first[key] = line
