"""A language host for the Pulumi CLI, for machines that can't get Pulumi's own.

Pulumi's Go language hosts (modules `sdk/python/cmd/pulumi-language-python/v3`,
`sdk/nodejs/cmd/pulumi-language-nodejs/v3`, `sdk/go/pulumi-language-go/v3`) are published
without tags, and this machine's Go module proxy refuses every version of them, while the
CLI (`pkg/v3`) is served. The engine talks to a language host over gRPC only, so this module
implements that contract (LanguageRuntime, from the Python SDK's own generated stubs) once,
for Python, Node.js and Go programs (`--runtime`; runtimes.py holds what differs), and runs
each program as Pulumi's host for its language does.

It also runs Python plugins (RunPlugin), as Pulumi's host does: `python <plugin folder>` in
the virtualenv its PulumiPlugin.yaml names, with the plugin's output streamed back to the
engine, which reads the plugin's port from it. That is how the cognito-user-import plugin
(plugin/) serves CognitoUserImport to programs in other languages. For `pulumi package
add` and `pulumi package gen-sdk` it generates a Node.js or Go SDK with the CLI's own code
generators (engine/cli/gensdk) and links it into the program.

It installs dependencies as Pulumi's hosts do (`pulumi install`, InstallDependencies): a
Python program's or plugin's virtualenv is created and filled from its requirements.txt
at its first run too; a virtualenv this host created and could not fill is removed, so the
next run starts again. pip and npm read their usual settings (an index, or
`PIP_FIND_LINKS` for a wheelhouse).

What it does not do, on purpose: report plugins the program needs (the engine loads resource
plugins lazily; reporting pulumi-aws would make it try to download a plugin this machine
can't fetch).

Like Pulumi's own plugins, it health-checks the engine whose address it was given and exits
(ending the program it runs) within seconds when the engine is gone: a killed CLI leaves no
language host or program behind.
"""

import argparse
import fcntl
import hashlib
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent import futures
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import IO, NoReturn

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2
from runtimes import EXITED_AFTER_USER_MESSAGE, RUNTIMES, Install, Launch, Runtime

#: The SDK generator (engine/cli/gensdk) install-pulumi.sh built beside this host's shims.
GENSDK_ENV = "PULUMI_GENSDK"
#: How often the engine is checked, and how many failed checks in a row mean it is gone.
CHECK_SECONDS = 1.0
FAILED_CHECKS = 2
WORKERS = 32
#: How long in-flight calls get to finish once the engine ends this host.
STOP_SECONDS = 2.0


def _install(install: Install, say: Callable[[bytes], None]) -> int:
    """Run an install's steps, passing every line of output to `say`; the exit code of the
    step that failed, or 0."""
    with _install_lock(install.exclusive):
        if install.headline:
            say(f"{install.headline}\n".encode())
        for step in install.steps:
            code = _stream(step, install.cwd, say)
            if code:
                say(f"`{' '.join(step)}` failed (exit code {code})\n".encode())
                if install.made is not None:  # half made: the next run starts again
                    shutil.rmtree(install.made, ignore_errors=True)
                return code
        say(b"Finished installing dependencies\n")
    return 0


@contextmanager
def _install_lock(folder: Path | None) -> Iterator[None]:
    """One install of a folder at a time: a plugin's instances may start together. The lock
    file is the machine's, not a file left in the user's project."""
    if folder is None:
        yield
        return
    key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"pulumi-install-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _abort(context: grpc.ServicerContext, code: grpc.StatusCode, message: str) -> NoReturn:
    """End the call with an error: grpc's abort raises, which its untyped API can't say."""
    context.abort(code, message)
    raise RuntimeError("grpc's ServicerContext.abort returned")


def _to_stderr(data: bytes) -> None:
    sys.stderr.buffer.write(data)
    sys.stderr.flush()


def _stream(command: list[str], cwd: Path, say: Callable[[bytes], None]) -> int:
    try:
        child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    except OSError as error:
        say(f"could not run `{' '.join(command)}`: {error}\n".encode())
        return 127
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
    def __init__(self, engine_address: str, runtime: Runtime) -> None:
        self._engine_address = engine_address
        self._runtime = runtime
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

    def _started(self, child: "subprocess.Popen[bytes]") -> None:
        with self._lock:
            self._programs.add(child)

    def _ended(self, child: "subprocess.Popen[bytes]") -> None:
        with self._lock:
            self._programs.discard(child)

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
        return language_pb2.AboutResponse(
            executable=self._runtime.name, version=self._runtime.version()
        )

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
        install = self._runtime.install(request.info)
        if install is None:
            yield language_pb2.InstallDependenciesResponse(stdout=b"nothing to install\n")
            return
        lines: queue.Queue[bytes | None] = queue.Queue()
        result: list[int] = []

        def run() -> None:
            try:
                result.append(_install(install, lines.put))
            finally:
                lines.put(None)

        threading.Thread(target=run, name="install", daemon=True).start()
        while (line := lines.get()) is not None:
            yield language_pb2.InstallDependenciesResponse(stdout=line)
        if result != [0]:
            context.abort(grpc.StatusCode.UNKNOWN, "installing dependencies failed (above)")

    def GeneratePackage(
        self, request: language_pb2.GeneratePackageRequest, context: grpc.ServicerContext
    ) -> language_pb2.GeneratePackageResponse:
        """`pulumi package add` and `gen-sdk`: the SDK of the schema, by the CLI's generators."""
        language = self._runtime.generates
        if language is None:
            _abort(context, grpc.StatusCode.UNIMPLEMENTED, f"no {self._runtime.name} SDK here")
        generator = os.environ.get(GENSDK_ENV) or shutil.which("pulumi-gensdk") or "pulumi-gensdk"
        with tempfile.TemporaryDirectory(prefix="pulumi-schema-") as scratch:
            schema = Path(scratch) / "schema.json"
            schema.write_text(request.schema)
            local = ["-local"] if request.local else []
            command = [generator, *local, language, str(schema), request.directory]
            made = subprocess.run(command, capture_output=True, text=True, check=False)
        if made.returncode:
            _abort(context, grpc.StatusCode.UNKNOWN, made.stderr.strip() or "gensdk failed")
        for name, content in request.extra_files.items():
            extra = Path(request.directory) / name
            extra.parent.mkdir(parents=True, exist_ok=True)
            extra.write_bytes(content)
        return language_pb2.GeneratePackageResponse()

    def Link(
        self, request: language_pb2.LinkRequest, context: grpc.ServicerContext
    ) -> language_pb2.LinkResponse:
        """`pulumi package add`: the program made to use the SDK generated for it."""
        link = self._runtime.link(request.info, [Path(dep.path) for dep in request.packages])
        if isinstance(link, str):
            _abort(context, grpc.StatusCode.FAILED_PRECONDITION, link)
        root = Path(request.info.root_directory or request.info.program_directory)
        for step in link.steps:
            done = subprocess.run(step, cwd=root, capture_output=True, text=True, check=False)
            if done.returncode:
                failed = f"`{' '.join(step)}` failed: {done.stderr.strip()}"
                _abort(context, grpc.StatusCode.UNKNOWN, failed)
        return language_pb2.LinkResponse(import_instructions=link.instructions)

    def RunPlugin(
        self, request: language_pb2.RunPluginRequest, context: grpc.ServicerContext
    ) -> Iterator[language_pb2.RunPluginResponse]:
        """`python <plugin folder> <args>`, its stdout and stderr streamed as they come; its
        virtualenv created and filled first, at its first run."""
        info = request.info
        install = self._runtime.install(info)
        if install is not None and self._runtime.install_before_run(info):
            said: list[bytes] = []
            code = _install(install, said.append)
            if said:
                yield language_pb2.RunPluginResponse(stderr=b"".join(said))
            if code:
                yield language_pb2.RunPluginResponse(exitcode=code)
                return
        command = self._runtime.plugin(info)
        if isinstance(command, str):
            yield language_pb2.RunPluginResponse(stderr=f"{command}\n".encode(), exitcode=1)
            return
        env = dict(os.environ)
        env.update(entry.split("=", 1) for entry in request.env if "=" in entry)
        child = subprocess.Popen(
            [*command, *request.args], cwd=request.pwd or None, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        self._started(child)
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
            self._ended(child)

    def Run(
        self, request: language_pb2.RunRequest, context: grpc.ServicerContext
    ) -> language_pb2.RunResponse:
        info = request.info
        install = self._runtime.install(info)
        first = install if self._runtime.install_before_run(info) else None
        if first is not None and _install(first, _to_stderr):
            return language_pb2.RunResponse(error="installing the dependencies failed (above)")
        launch = self._runtime.launch(request, self._engine_address)
        if isinstance(launch, str):
            return language_pb2.RunResponse(error=launch)
        try:
            return self._run(launch)
        finally:
            if launch.scratch is not None:
                shutil.rmtree(launch.scratch, ignore_errors=True)

    def _run(self, launch: Launch) -> language_pb2.RunResponse:
        env = {**os.environ, **launch.env}
        if launch.build is not None:
            built = self._wait(subprocess.Popen(launch.build, env=env, cwd=launch.cwd))
            if built:
                return language_pb2.RunResponse(
                    error=f"`{' '.join(launch.build)}` failed (exit code {built})"
                )
        # A session of its own: the engine ends this host with SIGINT to its process group,
        # which must not land in the program as a KeyboardInterrupt traceback; the host ends
        # the program itself (end_programs), silently.
        child = subprocess.Popen(launch.command, env=env, cwd=launch.cwd, start_new_session=True)
        returncode = self._wait(child)
        if returncode == 0:
            return language_pb2.RunResponse()
        if returncode == EXITED_AFTER_USER_MESSAGE:
            return language_pb2.RunResponse(bail=True)
        return language_pb2.RunResponse(
            error=f"Program exited with non-zero exit code: {returncode}"
        )

    def _wait(self, child: "subprocess.Popen[bytes]") -> int:
        self._started(child)
        try:
            return child.wait()
        finally:
            self._ended(child)


def _pump(stream: IO[bytes] | None, name: str, chunks: "queue.Queue[tuple[str, bytes]]") -> None:
    """Copy a child's stream into `chunks` as it comes; an empty chunk marks its end."""
    assert stream is not None
    while data := os.read(stream.fileno(), 65536):
        chunks.put((name, data))
    chunks.put((name, b""))


def main() -> None:
    # The engine starts a host as `<host> [-flags] <engine address>`; the shims of
    # install-pulumi.sh name the language first.
    parser = argparse.ArgumentParser(prog="pulumi-language-host", allow_abbrev=False)
    parser.add_argument("--runtime", choices=sorted(RUNTIMES), default="python")
    known, rest = parser.parse_known_args()
    engine_address = rest[-1] if rest and not rest[-1].startswith("-") else ""
    # A running plugin holds one worker for its whole life (its output stream), a program
    # run another: room for both with plenty to spare.
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=WORKERS))
    host = LanguageHost(engine_address, RUNTIMES[known.runtime]())
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
