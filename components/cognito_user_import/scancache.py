"""Scans already made, by content: a CSV is validated once per `pulumi up`.

`pulumi up` checks a file in its preview, again in the update's check, and create checks it
once more before sending it, each time in a new provider host. A scan's result holds no
user data (line numbers, column names, byte offsets, counts), so it is kept on the
deployer's disk, keyed by the file's fingerprint (fingerprint.py: SHA-256 over its
segments' SHA-256s) and by what the file was judged against (the pool's rules, rows per
job, and this validator's own source). Trusting it again costs one fingerprint of the file,
its segments hashed on every core: about a tenth of a validation on two cores.
"""

import base64
import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from functools import cache
from pathlib import Path

from . import csvscan
from . import fingerprint as fingerprints
from .csvfile import LineProblem, Part, PoolRules, Scan


def cache_directory() -> Path:
    """`$XDG_CACHE_HOME/cognito-user-import/scans`, private to the deployer."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cognito-user-import" / "scans"


#: The modules whose code decides a verdict.
#: (`_version.py` is loaded with the package: a new release trusts no verdict of the last.)
_VALIDATOR = (
    "attributes.py",
    "csvfile.py",
    "csvblock.py",
    "csvscan.py",
    "fingerprint.py",
    "usernames.py",
    "_version.py",
)


@cache
def _validator_version() -> str:
    """Another validator (an upgrade, an edit) must not trust this one's verdicts."""
    digest = hashlib.sha256()
    for name in _VALIDATOR:
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()


def _key(content: object, rules: PoolRules | None, rows_per_job: int) -> str:
    judged = json.dumps(
        [_validator_version(), content, rows_per_job, asdict(rules) if rules else None],
        sort_keys=True,
        default=sorted,
    )
    return hashlib.sha256(judged.encode()).hexdigest()


def _entry(fingerprint: str, rules: PoolRules | None, rows_per_job: int) -> Path:
    return cache_directory() / f"{_key(fingerprint, rules, rows_per_job)}.json"


def _seen(path: Path) -> list[object]:
    """Which file this is, as far as the file system tells without reading it."""
    facts = path.stat()
    return [str(path.resolve()), facts.st_dev, facts.st_ino, facts.st_size, facts.st_mtime_ns]


def scanned(path: Path, rules: PoolRules | None, rows_per_job: int) -> Scan:
    """The scan of this content against these rules: from the cache, or made and kept.

    A verdict is trusted only for the content it was made of, by its fingerprint. Taking
    the fingerprint first is worth it only when a verdict is likely to be there: when this
    file, unchanged as far as stat() tells, was scanned against these rules before (a mark
    in seen/). A file never seen, or since modified, is scanned straight away; the scan's
    own fingerprint of the bytes it judged keys the verdict it makes.
    """
    mark = cache_directory().parent / "seen" / _key(_seen(path), rules, rows_per_job)
    if mark.exists():
        entry = _entry(fingerprints.of_file(path), rules, rows_per_job)
        try:
            return _loads(entry.read_text())
        except (OSError, ValueError, KeyError, TypeError):
            pass
    result = csvscan.scan(path, rules, rows_per_job)
    _store(_entry(result.fingerprint, rules, rows_per_job), _dumps(result))
    _store(mark, "")
    return result


def _store(entry: Path, text: str) -> None:
    """Write whole or not at all (a rename), in a directory only the deployer can read."""
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=entry.parent, delete=False) as out:
            out.write(text)
        Path(out.name).replace(entry)
    except OSError:
        return  # a cache that can't be written only costs time


def _dumps(result: Scan) -> str:
    return json.dumps(
        {
            "sha256": result.sha256,
            "fingerprint": result.fingerprint,
            "rows": result.rows,
            "header": base64.b64encode(result.header).decode(),
            "parts": [asdict(part) for part in result.parts],
            "problems": [asdict(problem) for problem in result.problems],
            "problem_count": result.problem_count,
        }
    )


def _loads(text: str) -> Scan:
    data = json.loads(text)
    return Scan(
        sha256=data["sha256"],
        fingerprint=data["fingerprint"],
        rows=data["rows"],
        header=base64.b64decode(data["header"]),
        parts=[Part(**part) for part in data["parts"]],
        problems=[LineProblem(**problem) for problem in data["problems"]],
        problem_count=data["problem_count"],
    )
