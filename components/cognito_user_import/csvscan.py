"""The scan of a CSV: read once, a block of whole lines at a time, each block's rows judged
(csvblock.py, with csvfile.py's rules for the rows it can't call clean) and counted into
the parts a job each can take, while the file's digest and fingerprint are computed.

Memory does not depend on the file's size but for 8 bytes a row for each column that tells
users apart (usernames.py). A part is a byte range of the file: nothing is copied. This
module's code decides verdicts: the scan cache's key covers it (scancache.py).
"""

import hashlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO

from .csvfile import (
    MAX_BYTES_PER_JOB,
    MAX_ROWS_PER_JOB,
    Part,
    PoolRules,
    RowRules,
    Scan,
    check_header,
    raw_lines,
)
from .fingerprint import Fingerprint

#: Bytes read at a time: lines are hashed, split and decoded a block at a time, in C.
_BLOCK = 1 << 20


def scan(
    path: Path,
    rules: PoolRules | None,
    rows_per_job: int = MAX_ROWS_PER_JOB,
    *,
    vectorized: bool = True,
) -> Scan:
    """Validate a CSV and cut it into parts; with no rules, only pool-independent checks.

    `vectorized=False` judges every row by the reference rules alone: the path the tests
    hold the vectorized test to.
    """
    # numpy comes in with these: imported when a file is scanned, not by every provider host.
    from .csvblock import check_block  # noqa: PLC0415
    from .usernames import Identities  # noqa: PLC0415

    digest, fingerprint = hashlib.sha256(), Fingerprint()

    def hashed(data: bytes) -> None:
        digest.update(data)
        fingerprint.update(data)

    with path.open("rb") as handle:
        first = handle.readline()
        result = Scan(sha256="", header=first)
        header = check_header(first, rules, result)
        row_rules = RowRules(header, rules) if header is not None else None
        identities = Identities(len(row_rules.identities) if row_rules else 0)
        builder = _PartBuilder(len(first), rows_per_job, result)
        number, offset = 1, len(first)
        # hashlib releases the GIL: a block's digests run on the other core while the next
        # one is judged.
        with ThreadPoolExecutor(max_workers=1) as hasher:
            done = hasher.submit(hashed, first)
            for block in _blocks(handle):
                done.result()
                done = hasher.submit(hashed, block)
                if row_rules is None:
                    rows = _line_count(block)
                else:
                    keys = check_block(block, number, row_rules, result, vectorized)
                    identities.extend(keys)
                    rows = len(keys)
                builder.add_block(number + 1, offset, block, rows)
                number += rows
                offset += len(block)
            done.result()
        builder.close()
    result.rows = number - 1
    result.sha256, result.fingerprint = digest.hexdigest(), fingerprint.hexdigest()
    if row_rules is not None:
        for column, line, earlier in identities.repeats():
            result.add(line, row_rules.identities[column][0], row_rules.repeated(column, earlier))
    return result


class _PartBuilder:
    def __init__(self, header_size: int, rows_per_job: int, result: Scan) -> None:
        self._header_size = header_size
        self._limit_rows = min(rows_per_job, MAX_ROWS_PER_JOB)
        self._result = result
        self._first = self._rows = self._start = self._end = 0

    def add_block(self, first_number: int, offset: int, block: bytes, rows: int) -> None:
        """A block's `rows` lines at once when they all fit the part being built (what adding
        them one by one would do, since no line of them could close it); else line by line."""
        start = self._start if self._rows else offset
        fits = self._header_size + (offset + len(block) - start) <= MAX_BYTES_PER_JOB
        if self._rows + rows <= self._limit_rows and fits:
            if not self._rows:
                self._first, self._start = first_number, offset
            self._rows += rows
            self._end = offset + len(block)
            return
        for number, size in enumerate(_line_sizes(block), start=first_number):
            self.add(number, offset, size)
            offset += size

    def add(self, number: int, offset: int, size: int) -> None:
        too_big = self._header_size + (offset + size - self._start) > MAX_BYTES_PER_JOB
        if self._rows and (self._rows >= self._limit_rows or too_big):
            self.close()
        if not self._rows:
            self._first, self._start = number, offset
        self._rows += 1
        self._end = offset + size

    def close(self) -> None:
        if self._rows:
            self._result.parts.append(Part(self._first, self._rows, self._start, self._end))
            self._rows = 0


def _blocks(handle: IO[bytes]) -> Iterator[bytes]:
    """The rest of the file in blocks of whole lines, so that hashing, splitting into lines
    and decoding run in C a block at a time (the file's last line may lack its break)."""
    pieces: list[bytes] = []
    while chunk := handle.read(_BLOCK):
        end = chunk.rfind(b"\n") + 1
        if not end:  # a line longer than a block
            pieces.append(chunk)
            continue
        yield b"".join([*pieces, chunk[:end]]) if pieces else chunk[:end]
        pieces = [chunk[end:]] if end < len(chunk) else []
    if pieces:
        yield b"".join(pieces)


def _line_count(block: bytes) -> int:
    return block.count(b"\n") + (not block.endswith(b"\n"))


def _line_sizes(block: bytes) -> Iterator[int]:
    """Each line's size in bytes, its line break included."""
    lines = raw_lines(block)
    breaks = block.count(b"\n")
    for index, raw in enumerate(lines):
        yield len(raw) + (index < breaks)
