"""The documentation's code blocks and links, read from the markdown a user reads.

Every fenced block is run or checked by the tests (test_docs.py for Python, YAML, text and
JSON; test_plugin.py compiles TypeScript and Go against the generated SDKs), or carries, on
the line before its fence, why it is not:

    <!-- docs: not run: why -->
    <!-- docs: run by <path> -->      (a file that runs it: .ci/run, a test, the Makefile)
"""

import re
from dataclasses import dataclass
from pathlib import Path

from tests.support import ROOT

#: The markdown a user reads: the front page, docs/, localaws's own page, the changelog.
DOCUMENTS = sorted(
    [
        ROOT / "README.md",
        ROOT / "CHANGELOG.md",
        ROOT / "localaws" / "README.md",
        *(ROOT / "docs").rglob("*.md"),
    ]
)
_FENCE = re.compile(r"^```(?P<lang>[\w-]*)\s*$")
_MARK = re.compile(r"^<!-- docs: (?P<mark>.+?) -->$")
_LINK = re.compile(r"(?<!!)\[[^\]]*\]\((?P<target>[^)\s]+)\)")


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence
    lang: str
    text: str
    mark: str | None  # "not run: ...", "run by ...", or None

    @property
    def id(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}:{self.lang or 'plain'}"


def blocks(path: Path) -> list[Block]:
    found: list[Block] = []
    lines = path.read_text().splitlines()
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        end = index + 1
        while not lines[end].startswith("```"):
            end += 1
        before = _MARK.match(lines[index - 1]) if index else None
        found.append(
            Block(
                path=path,
                line=index + 1,
                lang=opening["lang"],
                text="\n".join(lines[index + 1 : end]) + "\n",
                mark=before["mark"] if before else None,
            )
        )
        index = end + 1
    return found


def every_block() -> list[Block]:
    return [block for path in DOCUMENTS for block in blocks(path)]


def of_language(*langs: str) -> list[Block]:
    return [block for block in every_block() if block.lang in langs and block.mark is None]


def anchors(path: Path) -> set[str]:
    """The anchors GitHub makes of a file's headings: lower case, punctuation dropped,
    spaces as hyphens, repeats numbered."""
    seen: dict[str, int] = {}
    found = set()
    outside = True
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            outside = not outside
        if not outside or not line.startswith("#"):
            continue
        slug = re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if not count else f"{slug}-{count}")
    return found


def links(path: Path) -> list[tuple[int, str]]:
    """(line, target) of every link outside code blocks that stays in the repository."""
    found = []
    outside = True
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if line.startswith("```"):
            outside = not outside
            continue
        if not outside:
            continue
        for match in _LINK.finditer(re.sub(r"`[^`]*`", "", line)):
            target = match["target"]
            if not re.match(r"[a-z]+:", target):
                found.append((number, target))
    return found


def commands(block: Block) -> list[str]:
    """The commands a shell block has a user type, without their comments."""
    return [
        line.split("  #")[0].strip()
        for line in block.text.splitlines()
        if line.strip() and not line.startswith("#")
    ]


def run_by(runner: str) -> list[Block]:
    """The blocks marked as run by `runner` (a path in the repository)."""
    return [block for block in every_block() if block.mark == f"run by {runner}"]
