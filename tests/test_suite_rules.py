"""Rules of the suite itself: no test reads a wall clock or sleeps (the sleep is refused at
run time too: tests/conftest.py). Timing is injected (a lifeline or localaws's clock the
test advances) or waited for (tests.support.wait_for), so a test on a busy machine waits
longer and never fails for it."""

import ast

from tests.support import ROOT

#: Where a clock may be read: the one helper that waits with a hang guard, the guard that
#: refuses sleeps, and the peers (a certificate's validity dates).
ALLOWED = {"support.py", "conftest.py", "peers.py"}
CLOCKS = {("time", "monotonic"), ("time", "perf_counter"), ("time", "time"), ("time", "sleep")}


def test_no_test_reads_a_wall_clock_or_sleeps() -> None:
    found = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        if path.name in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in CLOCKS
            ):
                found.append(f"{path.name}:{node.lineno}: {node.value.id}.{node.attr}")
    assert found == []


def test_the_runtime_guard_refuses_a_tests_sleep() -> None:
    import time  # noqa: PLC0415 - the module the guard patched for this test

    sleep = getattr(time, "sleep")  # noqa: B009 - what a test calling time.sleep reaches
    try:
        sleep(0)
    except AssertionError as refused:
        assert "wait for a condition instead" in str(refused)
    else:
        raise AssertionError("a test slept and nothing stopped it")
