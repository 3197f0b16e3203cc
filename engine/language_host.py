"""A Python language host for the Pulumi CLI, for machines that can't get Pulumi's own.

Pulumi's Go language host (module `sdk/python/cmd/pulumi-language-python/v3`) is published
without tags and this machine's Go module proxy refuses every version of it, while the CLI
(`pkg/v3`) is served. The engine talks to a language host over gRPC only, so this module
implements that contract (LanguageRuntime, from the Python SDK's own generated stubs) and
runs the program exactly as Pulumi's host does: through the SDK's
`pulumi-language-python-exec` script, with the stack's config in `PULUMI_CONFIG`.

It also runs Python plugins (RunPlugin), as Pulumi's host does: `python <plugin folder>` in
the virtualenv its PulumiPlugin.yaml names, with the plugin's output streamed back to the
engine, which reads the plugin's port from it. That is how the cognito-user-import plugin
(plugin/) serves CognitoUserImport to programs in other languages.

It installs dependencies as Pulumi's own Python host does: for a program or a plugin whose
Pulumi.yaml (PulumiPlugin.yaml) names a `virtualenv`, `pulumi install` (InstallDependencies)
and the first run create that virtualenv and install the folder's `requirements.txt` into
it with pip, which reads its usual settings (an index, or `PIP_FIND_LINKS` for a
wheelhouse). A virtualenv this host created and could not fill is removed, so the next run
starts again.

What it does not do, on purpose: report plugins the program needs (the engine loads resource
plugins lazily; reporting pulumi-aws would make it try to download a plugin this machine
can't fetch).

Like Pulumi's own plugins, it health-checks the engine whose address it was given and exits
(ending the program it runs) within seconds when the engine is gone: a killed CLI leaves no
language host or program behind.
"""

import fcntl
import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent import futures
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import IO, Any

import grpc
from google.protobuf import empty_pb2, json_format
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2

#: Exit code with which the SDK says it already showed the user an actionable error.
EXITED_AFTER_USER_MESSAGE = 32
EXEC_SCRIPT = "pulumi-language-python-exec"
EXEC_ENV = "PULUMI_LANGUAGE_PYTHON_EXEC"
#: How often the engine is checked, and how many failed checks in a row mean it is gone.
CHECK_SECONDS = 1.0
FAILED_CHECKS = 2
WORKERS = 32
#: How long in-flight calls get to finish once the engine ends this host.
STOP_SECONDS = 2.0


def _virtualenv(info: language_pb2.ProgramInfo) -> Path | None:
    """The virtualenv Pulumi.yaml's `virtualenv` option names, relative to the project."""
    options: dict[str, Any] = json_format.MessageToDict(info.options) if info.options else {}
    virtualenv = options.get("virtualenv")
    if not virtualenv:
        return None
    return (Path(info.root_directory or info.program_directory or ".") / str(virtualenv)).resolve()


def _interpreter(info: language_pb2.ProgramInfo) -> str:
    """The Python that runs the program: Pulumi.yaml's virtualenv option, else this one."""
    virtualenv = _virtualenv(info)
    if virtualenv is not None and (virtualenv / "bin" / "python").exists():
        return str(virtualenv / "bin" / "python")
    return os.environ.get("PULUMI_PYTHON_CMD", sys.executable)


def _requirements(info: language_pb2.ProgramInfo) -> Path:
    return Path(info.root_directory or info.program_directory or ".") / "requirements.txt"


def _needs_install(info: language_pb2.ProgramInfo) -> bool:
    """A virtualenv is named and does not exist yet: the first run creates it."""
    virtualenv = _virtualenv(info)
    return virtualenv is not None and not (virtualenv / "bin" / "python").exists()


def _install(info: language_pb2.ProgramInfo, say: Callable[[bytes], None]) -> int:
    """Create the virtualenv if missing and pip-install requirements.txt into it, passing
    every line of output to `say`; the exit code of the step that failed, or 0."""
    virtualenv = _virtualenv(info)
    if virtualenv is None:
        say(b"no `virtualenv` option in the project: nothing to install\n")
        return 0
    with _install_lock(virtualenv):
        python = virtualenv / "bin" / "python"
        creating = not python.exists()
        steps = []
        if creating:
            base = os.environ.get("PULUMI_PYTHON_CMD") or shutil.which("python3") or sys.executable
            say(f"Creating virtual environment {virtualenv}\n".encode())
            steps.append([base, "-m", "venv", str(virtualenv)])
        requirements = _requirements(info)
        if requirements.exists():
            say(f"Installing dependencies from {requirements.name} into {virtualenv}\n".encode())
            pip = [str(python), "-m", "pip", "install", "--disable-pip-version-check"]
            steps.append([*pip, "-r", str(requirements)])
        for step in steps:
            code = _stream(step, say)
            if code:
                say(f"`{' '.join(step)}` failed (exit code {code})\n".encode())
                if creating:  # half made: the next run starts again instead of using it
                    shutil.rmtree(virtualenv, ignore_errors=True)
                return code
        say(b"Finished installing dependencies\n")
    return 0


@contextmanager
def _install_lock(virtualenv: Path) -> Iterator[None]:
    """One install of a virtualenv at a time: a plugin's instances may start together."""
    virtualenv.parent.mkdir(parents=True, exist_ok=True)
    with open(virtualenv.parent / f".{virtualenv.name}.install-lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _to_stderr(data: bytes) -> None:
    sys.stderr.buffer.write(data)
    sys.stderr.flush()


def _stream(command: list[str], say: Callable[[bytes], None]) -> int:
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert child.stdout is not None
    for line in child.stdout:
        say(line)
    return child.wait()


def _reachable(address: str) -> bool:
    host, _, port = address.rpartition(":")
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=CHECK_SECONDS):
            return True
    except (OSError, ValueError):
        return False


class LanguageHost(language_pb2_grpc.LanguageRuntimeServicer):
    def __init__(self, engine_address: str) -> None:
        self._engine_address = engine_address
        # install-pulumi.sh names the SDK's runner; otherwise it is found on PATH.
        self._exec_script = os.environ.get(EXEC_ENV) or shutil.which(EXEC_SCRIPT) or EXEC_SCRIPT
        self._programs: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()

    def watch_engine(self) -> None:
        """Exit, ending every program run, once the engine stops answering."""
        failures = 0
        while True:
            time.sleep(CHECK_SECONDS)
            address = self._engine_address
            failures = 0 if not address or _reachable(address) else failures + 1
            if failures >= FAILED_CHECKS:
                self.end_programs()
                os._exit(1)

    def end_programs(self) -> None:
        """Kill every program and plugin this host started that is still running."""
        with self._lock:
            for program in self._programs:
                program.kill()

    def Handshake(
        self, request: language_pb2.LanguageHandshakeRequest, context: grpc.ServicerContext
    ) -> language_pb2.LanguageHandshakeResponse:
        if request.engine_address:
            self._engine_address = request.engine_address
        return language_pb2.LanguageHandshakeResponse()

    def GetPluginInfo(
        self, request: empty_pb2.Empty, context: grpc.ServicerContext
    ) -> plugin_pb2.PluginInfo:
        return plugin_pb2.PluginInfo(version=metadata.version("pulumi"))

    def GetRequiredPlugins(
        self, request: language_pb2.GetRequiredPluginsRequest, context: grpc.ServicerContext
    ) -> language_pb2.GetRequiredPluginsResponse:
        return language_pb2.GetRequiredPluginsResponse()

    def GetRequiredPackages(
        self, request: language_pb2.GetRequiredPackagesRequest, context: grpc.ServicerContext
    ) -> language_pb2.GetRequiredPackagesResponse:
        return language_pb2.GetRequiredPackagesResponse()

    def About(
        self, request: language_pb2.AboutRequest, context: grpc.ServicerContext
    ) -> language_pb2.AboutResponse:
        return language_pb2.AboutResponse(executable=sys.executable, version=sys.version.split()[0])

    def GetProgramDependencies(
        self, request: language_pb2.GetProgramDependenciesRequest, context: grpc.ServicerContext
    ) -> language_pb2.GetProgramDependenciesResponse:
        dependencies = [
            language_pb2.DependencyInfo(name=dist.metadata["Name"], version=dist.version)
            for dist in metadata.distributions()
            if dist.metadata["Name"]
        ]
        return language_pb2.GetProgramDependenciesResponse(dependencies=dependencies)

    def Cancel(self, request: empty_pb2.Empty, context: grpc.ServicerContext) -> empty_pb2.Empty:
        return empty_pb2.Empty()

    def InstallDependencies(
        self, request: language_pb2.InstallDependenciesRequest, context: grpc.ServicerContext
    ) -> Iterator[language_pb2.InstallDependenciesResponse]:
        """`pulumi install`: the install runs on a thread, its output streamed as it comes."""
        lines: queue.Queue[bytes | None] = queue.Queue()
        result: list[int] = []

        def install() -> None:
            try:
                result.append(_install(request.info, lines.put))
            finally:
                lines.put(None)

        threading.Thread(target=install, name="install", daemon=True).start()
        while (line := lines.get()) is not None:
            yield language_pb2.InstallDependenciesResponse(stdout=line)
        if result != [0]:
            context.abort(grpc.StatusCode.UNKNOWN, "installing dependencies failed (above)")

    def RunPlugin(
        self, request: language_pb2.RunPluginRequest, context: grpc.ServicerContext
    ) -> Iterator[language_pb2.RunPluginResponse]:
        """`python <plugin folder> <args>`, its stdout and stderr streamed as they come; its
        virtualenv created and filled first, at its first run."""
        info = request.info
        if _needs_install(info):
            said: list[bytes] = []
            code = _install(info, said.append)
            if said:
                yield language_pb2.RunPluginResponse(stderr=b"".join(said))
            if code:
                yield language_pb2.RunPluginResponse(exitcode=code)
                return
        command = [_interpreter(info), "-u", info.program_directory, *request.args]
        env = dict(os.environ)
        env.update(entry.split("=", 1) for entry in request.env if "=" in entry)
        child = subprocess.Popen(
            command, cwd=request.pwd or None, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        with self._lock:
            self._programs.add(child)
        chunks: queue.Queue[tuple[str, bytes]] = queue.Queue()
        pumps = [
            threading.Thread(target=_pump, args=(stream, name, chunks), daemon=True)
            for stream, name in ((child.stdout, "stdout"), (child.stderr, "stderr"))
        ]
        for pump in pumps:
            pump.start()
        try:
            open_streams = len(pumps)
            while open_streams:
                name, data = chunks.get()
                if name == "stdout" and data:
                    yield language_pb2.RunPluginResponse(stdout=data)
                elif data:
                    yield language_pb2.RunPluginResponse(stderr=data)
                else:
                    open_streams -= 1
            yield language_pb2.RunPluginResponse(exitcode=child.wait())
        finally:
            if child.poll() is None:  # the engine hung up: the plugin goes with it
                child.kill()
            with self._lock:
                self._programs.discard(child)

    def Run(
        self, request: language_pb2.RunRequest, context: grpc.ServicerContext
    ) -> language_pb2.RunResponse:
        info = request.info
        if _needs_install(info) and _install(info, _to_stderr):
            return language_pb2.RunResponse(
                error=f"installing the dependencies of {_requirements(info)} failed (above)"
            )
        program = info.entry_point or request.program or "."
        program_directory = info.program_directory or request.pwd
        command = [
            _interpreter(info),
            "-u",
            self._exec_script,
            "--monitor", request.monitor_address,
            "--engine", self._engine_address,
            "--project", request.project,
            "--stack", request.stack,
            "--pwd", request.pwd,
            "--dry_run", "true" if request.dryRun else "false",
            "--parallel", str(request.parallel),
            "--organization", request.organization,
            "--root_directory", info.root_directory or request.pwd,
            str(Path(program_directory) / program) if program != "." else program_directory,
            *request.args,
        ]  # fmt: skip
        env = dict(os.environ)
        env["PULUMI_CONFIG"] = json.dumps(dict(request.config))
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(request.configSecretKeys))
        # A session of its own: the engine ends this host with SIGINT to its process group,
        # which must not land in the program as a KeyboardInterrupt traceback; the host ends
        # the program itself (end_programs), silently.
        child = subprocess.Popen(command, env=env, cwd=request.pwd or None, start_new_session=True)
        with self._lock:
            self._programs.add(child)
        try:
            returncode = child.wait()
        finally:
            with self._lock:
                self._programs.discard(child)
        if returncode == 0:
            return language_pb2.RunResponse()
        if returncode == EXITED_AFTER_USER_MESSAGE:
            return language_pb2.RunResponse(bail=True)
        return language_pb2.RunResponse(
            error=f"Program exited with non-zero exit code: {returncode}"
        )


def _pump(stream: IO[bytes] | None, name: str, chunks: "queue.Queue[tuple[str, bytes]]") -> None:
    """Copy a child's stream into `chunks` as it comes; an empty chunk marks its end."""
    assert stream is not None
    while data := os.read(stream.fileno(), 65536):
        chunks.put((name, data))
    chunks.put((name, b""))


def main() -> None:
    engine_address = sys.argv[-1] if len(sys.argv) > 1 else ""
    # A running plugin holds one worker for its whole life (its output stream), a program
    # run another: room for both with plenty to spare.
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=WORKERS))
    host = LanguageHost(engine_address)
    threading.Thread(target=host.watch_engine, name="engine-watch", daemon=True).start()
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(host, server)
    port = server.add_insecure_port("127.0.0.1:0")
    # The engine ends its plugins with SIGINT after every run (SIGTERM from others): that is
    # this host's normal end, not an interruption to report. Signals only set an event; the
    # main thread then stops serving and ends what it runs, so no KeyboardInterrupt ever lands
    # inside gRPC's own locks.
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    server.start()
    print(port, flush=True)
    stop.wait()
    host.end_programs()
    server.stop(grace=None).wait(STOP_SECONDS)
    sys.stdout.flush()
    # Worker threads may still wait on a program the engine abandoned: exit without joining.
    os._exit(0)


if __name__ == "__main__":
    main()
