"""RowRules.clean for every row of a block at once, on its bytes, with numpy.

Per-row Python work is what bounded validation: splitting a row into its values, testing
them and hashing its username cost about 1 µs a row, twice a bare csv.reader pass. Here a
block's line breaks and commas are located in C, the values the rules look at are sliced
out as arrays of positions, and each rule is a handful of array operations for all rows.

The test is conservative: a row is called clean only when the reference test
(RowRules.clean) would say so from the same bytes, and anything unusual (a backslash, a
carriage return inside a line, a value that does not start and end in plain ASCII, a line
of the wrong width) leaves the row to RowRules, row by row. A clean row has no problems, so
what a file is found to break is exactly what the row-by-row rules find; the property test
in tests/test_csvblock.py holds the two to that.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from .attributes import Attribute
from .csvfile import MAX_ROW_CHARACTERS, NOT_UTF8, RowRules, Scan, block_lines, check_line
from .usernames import Keys, Positions, keys_of, keys_of_names, low_bytes, words

Data = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]

_NEWLINE, _RETURN, _COMMA, _BACKSLASH, _SLASH = b"\n\r,\\/"
_TAB, _SPACE, _AT, _PLUS = b"\t @+"
#: Bytes that may start or end a value Python's str.strip would change, or that isspace()
#: could be true of: ASCII white space, and any non-ASCII byte (left to the reference).
_UNPLAIN = np.zeros(256, np.bool_)
_UNPLAIN[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True
_UNPLAIN[128:] = True
_DIGIT = np.zeros(256, np.bool_)
_DIGIT[ord("0") : ord("9") + 1] = True
_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
#: Each byte in lower case where it is an ASCII letter: str.lower of ASCII text, byte by byte.
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[ord("A") : ord("Z") + 1] += ord("a") - ord("A")
#: Most digits of a number judged here against a pool's bounds (int64 holds 18).
_BOUNDED_DIGITS = 18
#: Longest updated_at judged here (more digits than any time Cognito can hold).
_NUMBER_DIGITS = 32
#: Zeros after a block's bytes, so that a window of up to this many bytes exists at any
#: position in it (the widest read is a number's digits).
_PADDING = _NUMBER_DIGITS
#: Longest username, in bytes, keyed here: 128 characters of 1 byte (longer are left to the
#: reference; Cognito takes up to 128 characters).
_USERNAME_BYTES = 128


# glibc's malloc hands each freed allocation above its mmap threshold (128 KiB at first) back
# to the kernel, and raises the threshold only to the largest such allocation freed so far. A
# scan allocates and frees a few MiB of arrays a block; until the threshold passes that, each
# block's arrays are faulted in afresh (100,000 page faults, 0.2 s of a 0.55 s scan of 100 MB).
# Freeing one 16 MiB allocation that was never touched (calloc's pages of a fresh mapping are
# not resident) raises it once for the process. Other allocators ignore this.
bytes(16 << 20)


@dataclass
class JudgedBlock:
    """Where each line of a block is, which rows are clean, and the clean rows' keys."""

    starts: Positions
    ends: Positions  # where each line's break is (the block's end for a last line without)
    clean: Mask
    keys: Keys  # each clean row's keys (RowRules.identities); 0 for the others, to be filled


def judge(block: bytes, rules: RowRules) -> JudgedBlock:
    """Locate a block's lines (whole lines of valid UTF-8) and find the clean ones."""
    data = np.frombuffer(block + bytes(_PADDING), np.uint8)
    ends = np.flatnonzero(data == _NEWLINE)
    if not block.endswith(b"\n"):
        ends = np.append(ends, len(block))
    starts = np.empty_like(ends)
    starts[:1] = 0
    starts[1:] = ends[:-1] + 1
    content = ends.copy()  # each line's end without a final carriage return
    odd = (ends - starts > MAX_ROW_CHARACTERS) | (ends == starts)
    if b"\r" in block:
        returns = np.flatnonzero(data == _RETURN)
        line = np.searchsorted(ends, returns)
        final = returns == ends[line] - 1
        content[line[final]] -= 1
        odd[line[~final]] = True
    if b"\\" in block:
        odd[np.searchsorted(ends, np.flatnonzero(data == _BACKSLASH))] = True
    commas = np.flatnonzero(data == _COMMA)
    before = np.searchsorted(commas, ends)
    counts = np.diff(before, prepend=0)
    odd |= counts != rules.width - 1
    regular = ~odd
    if not odd.any():
        separators = commas.reshape(len(ends), rules.width - 1)
    else:
        separators = commas[np.repeat(regular, counts)].reshape(-1, rules.width - 1)
    rows = _Rows(data, starts[regular], content[regular], separators, block)
    clean = np.zeros(len(ends), np.bool_)
    keys = np.zeros((len(ends), len(rules.identities)), np.int64)
    passed = rows.clean(rules)
    indexes = np.flatnonzero(regular)[passed]
    clean[indexes] = True
    lowered = _LOWER[data] if any(folded for _n, _i, folded in rules.identities) else data
    for column, (_name, index, folded) in enumerate(rules.identities):
        start, end = rows.span(index)
        keys[indexes, column] = keys_of(lowered if folded else data, start[passed], end[passed])
    return JudgedBlock(starts, ends, clean, keys)


class _Rows:
    """The regular rows of a block (the header's width, no backslash, no carriage return
    inside), each value a span [start, end) of the block's bytes."""

    def __init__(
        self, data: Data, starts: Positions, ends: Positions, separators: Positions, block: bytes
    ) -> None:
        self._data = data
        self._words = words(data)
        self._starts, self._ends, self._separators = starts, ends, separators
        self._block = block
        self._heads: dict[int, tuple[Positions, npt.NDArray[np.uint64]]] = {}
        self._at: dict[int, Positions] = {}  # where each byte asked about is in the block
        self._non_ascii: Positions | None = None

    def span(self, column: int) -> tuple[Positions, Positions]:
        width = self._separators.shape[1] + 1
        start = self._starts if column == 0 else self._separators[:, column - 1] + 1
        end = self._ends if column == width - 1 else self._separators[:, column]
        return start, end

    def clean(self, rules: RowRules) -> Mask:
        """RowRules.clean of each row, or False where that can't be decided from plain
        bytes."""
        start, end = self.span(rules.username)
        clean = self._plain(start, end) & (end - start <= _USERNAME_BYTES)
        clean &= ~self._holds_space_or_tab(start, end)
        clean &= self._any((rules.mfa, word) for word in rules.clean_mfa)
        flagged = np.zeros_like(clean)
        for _name, value, flag in rules.verifiable:
            true, false = self._equals(flag, "true"), self._equals(flag, "false")
            clean &= true | false | self._equals(flag, "")
            clean &= ~true | self._plain_start(*self.span(value))
            flagged |= true | false
        clean &= flagged
        if rules.auto_verified:
            clean &= self._any((index, "true") for _name, index in rules.auto_verified)
        for _name, index in rules.required:
            clean &= self._plain_start(*self.span(index))
        if rules.birthdate is not None:
            birthdate = rules.birthdate
            clean &= self._equals(birthdate, "") | self._date(*self.span(birthdate))
        if rules.updated_at is not None:
            clean &= self._digits(*self.span(rules.updated_at))
        clean &= self._identities_read_as_keyed(rules)
        for name, _pattern in rules.username_formats:
            if name == "email":
                clean &= ~self._holds(start, end, _AT)
            else:
                clean &= self._data[start] != _PLUS
        for attribute, index in rules.schema:
            clean &= self._obeys(attribute, index)
        return clean

    def _identities_read_as_keyed(self, rules: RowRules) -> Mask:
        """Whether each value that tells users apart is, in bytes, what the pool compares:
        nothing to trim, and only ASCII where the pool ignores case (bytes are lowered
        here as str.lower lowers ASCII)."""
        keyed = np.ones(len(self._starts), np.bool_)
        for column, (_name, index, folded) in enumerate(rules.identities):
            start, end = self.span(index)
            if column:  # the username is plain already
                keyed &= (end == start) | self._plain(start, end)
            if folded:
                keyed &= self._ascii(start, end)
        return keyed

    def _obeys(self, attribute: Attribute, index: int) -> Mask:
        """Surely empty or, untrimmed, a value the attribute's schema takes."""
        start, end = self.span(index)
        length = end - start
        empty: Mask = length == 0
        if attribute.developer_only or attribute.data_type == "DateTime":
            return empty
        if attribute.data_type == "Boolean":
            return empty | self._equals(index, "true") | self._equals(index, "false")
        if attribute.data_type == "String" and not attribute.min_length:
            # Only a maximum (schema_of keeps no attribute without a bound): bytes are at
            # least the characters, and trimming only shortens.
            assert attribute.max_length is not None
            return empty | (length <= attribute.max_length)
        plain: Mask = self._plain(start, end)
        if attribute.data_type == "Number":
            number: Mask = self._digits(start, end) & (length <= _BOUNDED_DIGITS)
            if attribute.min_value is not None or attribute.max_value is not None:
                value = self._number(start, end)
                if attribute.min_value is not None:
                    number &= value >= attribute.min_value
                if attribute.max_value is not None:
                    number &= value <= attribute.max_value
            return empty | (plain & number)
        if attribute.max_length is not None:
            plain &= length <= attribute.max_length  # no more characters than bytes
        least = attribute.min_length or 0
        plain &= (length >= 4 * least) | (self._ascii(start, end) & (length >= least))
        return empty | plain

    def _equals(self, column: int, word: str) -> Mask:
        length, head = self._head(column)
        packed = np.uint64(int.from_bytes(word.encode().ljust(8, b"\0"), "little"))
        same: Mask = (length == len(word)) & (head == packed)
        return same

    def _head(self, column: int) -> tuple[Positions, npt.NDArray[np.uint64]]:
        """Each value's length and first eight bytes as one number (zeros past its end):
        comparing values to a short word is then one comparison a row."""
        if column not in self._heads:
            start, end = self.span(column)
            length = end - start
            self._heads[column] = length, self._words[start] & low_bytes(length)
        return self._heads[column]

    def _any(self, values: Iterable[tuple[int, str]]) -> Mask:
        """Whether any of the (column, word) pairs holds of the row."""
        found = np.zeros(len(self._starts), np.bool_)
        for column, word in values:
            found |= self._equals(column, word)
        return found

    def _plain_start(self, start: Positions, end: Positions) -> Mask:
        """Surely not blank: it starts with a visible ASCII character."""
        plain: Mask = (end > start) & ~_UNPLAIN[self._data[start]]
        return plain

    def _plain(self, start: Positions, end: Positions) -> Mask:
        """Surely unchanged by str.strip and not blank: visible ASCII at both ends."""
        last = self._data[np.maximum(end - 1, 0)]
        return self._plain_start(start, end) & ~_UNPLAIN[last]

    def _holds_space_or_tab(self, start: Positions, end: Positions) -> Mask:
        return self._holds(start, end, _SPACE) | self._holds(start, end, _TAB)

    def _holds(self, start: Positions, end: Positions, byte: int) -> Mask:
        """Whether each span holds the byte: a count of its places in the block."""
        if byte not in self._at:
            found = bytes((byte,)) in self._block
            self._at[byte] = np.flatnonzero(self._data == byte) if found else np.empty(0, int)
        at = self._at[byte]
        holds: Mask = np.searchsorted(at, end) > np.searchsorted(at, start)
        return holds

    def _ascii(self, start: Positions, end: Positions) -> Mask:
        """Whether each span is ASCII only (its characters are then its bytes)."""
        if self._block.isascii():
            return np.ones(len(start), np.bool_)
        if self._non_ascii is None:
            self._non_ascii = np.flatnonzero(self._data >= 0x80)
        at = self._non_ascii
        plain: Mask = np.searchsorted(at, end) == np.searchsorted(at, start)
        return plain

    def _number(self, start: Positions, end: Positions) -> Positions:
        """The value of each span of at most _BOUNDED_DIGITS digits (others: any number)."""
        width = min(int((end - start).max(initial=0)), _BOUNDED_DIGITS)
        found, inside = self._gathered(start, end, width)
        digits = found.astype(np.int64) - ord("0")
        value = np.zeros(len(start), np.int64)
        for column in range(width):
            value = np.where(inside[:, column], value * 10 + digits[:, column], value)
        return value

    def _gathered(self, start: Positions, end: Positions, width: int) -> tuple[Data, Mask]:
        """The first `width` bytes of each span (one window of the padded block a row), and
        which of them are inside it."""
        found = sliding_window_view(self._data, width)[start]
        return found, np.arange(width) < (end - start)[:, None]

    def _digits(self, start: Positions, end: Positions) -> Mask:
        """Empty, or ASCII digits only (str.isdigit holds of them)."""
        width = min(int((end - start).max(initial=0)), _NUMBER_DIGITS)
        found, inside = self._gathered(start, end, width)
        digits: Mask = (end - start <= _NUMBER_DIGITS) & (_DIGIT[found] | ~inside).all(axis=1)
        return digits

    def _date(self, start: Positions, end: Positions) -> Mask:
        """mm/dd/yyyy naming a real day, as _valid_birthdate decides it."""
        found, _inside = self._gathered(start, end, 10)
        digit = _DIGIT[found]
        shaped: Mask = (end - start == 10) & (found[:, 2] == _SLASH) & (found[:, 5] == _SLASH)
        shaped &= digit[:, [0, 1, 3, 4, 6, 7, 8, 9]].all(axis=1)
        value = found.astype(np.int64) - ord("0")
        month = value[:, 0] * 10 + value[:, 1]
        day = value[:, 3] * 10 + value[:, 4]
        year = value[:, 6] * 1000 + value[:, 7] * 100 + value[:, 8] * 10 + value[:, 9]
        leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
        days = _DAYS[np.clip(month, 0, 12)] + ((month == 2) & leap)
        real: Mask = (month >= 1) & (month <= 12) & (day >= 1) & (day <= days) & (year >= 1)
        return real & shaped


def check_block(
    block: bytes, number: int, rules: RowRules, result: Scan, vectorized: bool = True
) -> Keys:
    """Record the problems of a block's rows, numbered from number + 1, and return each
    row's keys (RowRules.identities). Rows the vectorized test calls clean have none; the
    others, and every row of a block that is not valid UTF-8 (each bad line is named), are
    judged by check_line one by one, in file order, as the reference path judges every
    row."""
    if vectorized:
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            vectorized = False
    columns: list[list[str]] = [[] for _ in rules.identities]
    if not vectorized:
        for text in block_lines(block):
            number += 1
            if text is None:
                result.add(number, None, NOT_UTF8)
                for column in columns:
                    column.append("")
            else:
                check_line(number, text, rules, result, columns)
        return _keys(columns)
    judged = judge(block, rules)
    rows = np.flatnonzero(~judged.clean)
    for row, start, end in zip(
        rows.tolist(), judged.starts[rows].tolist(), judged.ends[rows].tolist(), strict=True
    ):
        check_line(number + 1 + row, block[start:end].decode().rstrip("\r"), rules, result, columns)
    judged.keys[rows] = _keys(columns)
    return judged.keys


def _keys(columns: list[list[str]]) -> Keys:
    """keys_of_names of each column: one row of keys a row."""
    keys = np.empty((len(columns[0]), len(columns)), np.int64)
    for index, column in enumerate(columns):
        keys[:, index] = keys_of_names(column)
    return keys
