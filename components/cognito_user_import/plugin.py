"""The cognito-user-import plugin: CognitoUserImport, and the import job it declares, served
to Pulumi programs in YAML, TypeScript, Go or any other language.

Pulumi's component provider serves the component (`Construct`), with a schema it infers from
the Args type hints and the declared outputs. The job inside it is a resource of this
plugin's own package, `cognito-user-import:index:UserImportJob`, served here by the same
`UserImportJobProvider` Python programs run as a dynamic provider. A dynamic resource would
run in whatever Python the *program* names (its `virtualenv` option or
`PULUMI_PYTHON_CMD`), which a YAML, TypeScript or Go program has no reason to have; served
here, the job runs in the plugin's own environment, which the plugin folder installs itself.

Pulumi hands a package's provider only its own namespace of config, and the job needs the
stack's `aws:*` settings (or an explicit aws.Provider's), as pulumi-aws reads them. The
component reads them during `Construct` (which sees the whole stack config) and gives them
to the job as a secret input, `aws_settings`; the state keeps them (encrypted), so refresh
and destroy, which run no program, use the settings the job was last deployed with.
"""

import argparse
import asyncio
import inspect
import json
import signal
import sys
from collections.abc import Callable
from importlib import metadata
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.dynamic import Config, ConfigureRequest
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.server import ProviderServicer
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from ._version import __version__
from .commands import tool
from .component import CognitoUserImport
from .errors import UserError
from .fields import Input
from .host import shown
from .job import serve_jobs_from_plugin
from .lifeline import LIFELINE, engine_address
from .provider import UserImportJobProvider

NAME = "cognito-user-import"
#: What the Pulumi Registry lists the package under, beyond what the package's own metadata
#: (pyproject.toml) says: its kind and category are keywords of the Registry's own form.
REGISTRY = {
    "displayName": "Cognito User Import",
    "publisher": "cognito-user-import",
    "keywords": ["kind/component", "category/cloud"],
    "logoUrl": (
        "https://raw.githubusercontent.com/cognito-user-import/cognito-user-import/main/"
        "docs/logo.svg"
    ),
    # Where `pulumi plugin install` finds the release's plugin archive (scripts/release.sh).
    "pluginDownloadURL": "github://api.github.com/cognito-user-import/cognito-user-import",
}
#: Where the generated SDKs live: an npm package name and a Go import path of their own
#: (the defaults would claim Pulumi's npm scope and a placeholder Go module).
LANGUAGES = {
    "nodejs": {"packageName": NAME},
    "go": {"importBasePath": "github.com/cognito-user-import/sdk/go/cognitouserimport"},
}
#: gRPC's default message limit is 4 MiB; Pulumi's own servers take up to 400 MiB.
_MESSAGE_BYTES = 400 * 1024 * 1024
_GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", _MESSAGE_BYTES),
    ("grpc.max_send_message_length", _MESSAGE_BYTES),
]


def dedented(node: Any) -> Any:
    """The schema with every `description` dedented: Python 3.11 keeps a docstring's
    indentation, which would reach every generated SDK's documentation."""
    if isinstance(node, dict):
        return {
            key: inspect.cleandoc(value) if key == "description" else dedented(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [dedented(item) for item in node]
    return node


class _ComponentProvider(ComponentProvider):
    """Pulumi's component provider, for an optional output of an object type that is unset
    (`export` of an import that is not a copy): the SDK (3.272) maps such an output's value
    field by field and fails on None; unset stays unset."""

    def map_complex_output(self, instance_val: Any, type_def: Any) -> Any:
        if instance_val is None:
            return None
        return super().map_complex_output(instance_val, type_def)


def package_metadata() -> dict[str, Any]:
    """The schema's description, license, links and keywords, from the installed package's
    metadata (pyproject.toml, written once), plus what only the Registry reads."""
    installed = metadata.metadata(NAME)
    urls = dict(entry.split(", ", 1) for entry in installed.get_all("Project-URL") or [])
    return {
        "description": installed["Summary"],
        "license": installed["License-Expression"],
        "homepage": urls["Homepage"],
        "repository": urls["Repository"],
        **REGISTRY,
        "keywords": [*installed["Keywords"].split(","), *REGISTRY["keywords"]],
    }


def component_provider() -> ComponentProvider:
    """What Pulumi's component provider host serves, with the schema dedented, the package's
    metadata and the SDKs' package names set, at the package's version."""
    provider = _ComponentProvider([CognitoUserImport], NAME, None, __version__)
    schema = dedented(json.loads(provider.schema or "{}"))
    schema.update(package_metadata())
    for language, options in LANGUAGES.items():
        schema["language"][language].update(options)
    provider.schema = json.dumps(schema)
    return provider


def _split(struct: Any, keep_unknowns: bool = False) -> tuple[dict[str, Any], set[str]]:
    """Properties from the wire, Pulumi's secret wrappers taken off, and the names that were
    secret."""
    props = rpc.deserialize_properties(struct, keep_unknowns=keep_unknowns)
    secret = {name for name, value in props.items() if rpc.is_rpc_secret(value)}
    return {name: rpc.unwrap_rpc_secret(value) for name, value in props.items()}, secret


async def _wire(props: dict[str, Any], secret: set[str]) -> Any:
    """`props` as the engine reads them, the names in `secret` (and the settings, which may
    hold keys) marked secret again."""
    marked = {
        name: rpc.wrap_rpc_secret(value)
        if (name in secret or name == Input.AWS_SETTINGS) and value is not None
        else value
        for name, value in props.items()
    }
    return await rpc.serialize_properties(marked, {})


class PluginServicer(ProviderServicer):
    """Pulumi's component provider servicer, plus the job's create, read, update, delete."""

    def __init__(self, provider: ComponentProvider, args: list[str], engine: str) -> None:
        super().__init__(provider, args, engine)
        #: The job's provider: each job carries its settings (`aws_settings`).
        self._job = UserImportJobProvider()
        self._job.configure(ConfigureRequest(Config({}, NAME)))

    async def _run(self, context: Any, method: Callable[..., Any], *args: Any) -> Any:
        """`method` on a worker thread (an import waits for minutes); its error, as the
        user's one line."""
        try:
            return await asyncio.to_thread(method, *args)
        except Exception as error:  # every error reaches the engine as one line
            await context.abort(grpc.StatusCode.UNKNOWN, shown(error, UserError))

    async def CheckConfig(self, request: Any, context: Any) -> Any:
        return provider_pb2.CheckResponse(inputs=request.news)

    async def DiffConfig(self, request: Any, context: Any) -> Any:
        return provider_pb2.DiffResponse(changes=provider_pb2.DiffResponse.DIFF_NONE)

    async def Check(self, request: Any, context: Any) -> Any:
        news, secret = _split(request.news, keep_unknowns=True)
        olds, _ = _split(request.olds, keep_unknowns=True)
        result = await self._run(context, self._job.check, olds, news)
        inputs = {name: rpc.unwrap_rpc_secret(value) for name, value in result.inputs.items()}
        secret |= {name for name, value in result.inputs.items() if rpc.is_rpc_secret(value)}
        return provider_pb2.CheckResponse(
            inputs=await _wire(inputs, secret),
            failures=[
                provider_pb2.CheckFailure(property=f.property, reason=f.reason)
                for f in result.failures
            ],
        )

    async def Diff(self, request: Any, context: Any) -> Any:
        olds, _ = _split(request.olds, keep_unknowns=True)
        news, _ = _split(request.news, keep_unknowns=True)
        result = await self._run(context, self._job.diff, request.id, olds, news)
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME
            if result.changes
            else provider_pb2.DiffResponse.DIFF_NONE,
            replaces=result.replaces or [],
            deleteBeforeReplace=bool(result.delete_before_replace),
        )

    async def Create(self, request: Any, context: Any) -> Any:
        props, secret = _split(request.properties)
        result = await self._run(context, self._job.create, props)
        return provider_pb2.CreateResponse(
            id=result.id, properties=await _wire(result.outs, secret)
        )

    async def Read(self, request: Any, context: Any) -> Any:
        props, secret = _split(request.properties)
        inputs, _ = _split(request.inputs)
        result = await self._run(context, self._job.read, request.id, props or inputs)
        if not result.id:  # gone: the engine drops it from state
            return provider_pb2.ReadResponse(id="")
        return provider_pb2.ReadResponse(
            id=result.id,
            properties=await _wire(result.outs, secret),
            inputs=await _wire(result.inputs or inputs, set()),
        )

    async def Update(self, request: Any, context: Any) -> Any:
        olds, secret = _split(request.olds)
        news, _ = _split(request.news)
        result = await self._run(context, self._job.update, request.id, olds, news)
        return provider_pb2.UpdateResponse(properties=await _wire(result.outs or {}, secret))

    async def Delete(self, request: Any, context: Any) -> Any:
        props, _ = _split(request.properties)
        await self._run(context, self._job.delete, request.id, props)
        return empty_pb2.Empty()

    async def Cancel(self, request: Any, context: Any) -> Any:
        """The engine cancels the update (the first Ctrl-C, or a CI job cancelled): a wait
        in progress stops within a second, saying which job it leaves running."""
        LIFELINE.cut(f"the {tool().operation} was cancelled")
        return empty_pb2.Empty()


def main(argv: list[str]) -> None:
    """Serve the plugin until the engine ends it (SIGINT or SIGTERM), or is gone."""
    parser = argparse.ArgumentParser(prog=NAME, description="Pulumi provider plugin")
    parser.add_argument("engine", help="the Pulumi engine's address")
    known, _ = parser.parse_known_args(argv)
    serve_jobs_from_plugin()
    LIFELINE.watch(engine_address([known.engine]))

    async def serve() -> None:
        server = grpc.aio.server(options=_GRPC_OPTIONS)
        servicer = PluginServicer(component_provider(), argv, known.engine)
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        print(port, flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()
        # A create still waiting on a worker thread says which job it leaves, and ends.
        LIFELINE.cut(f"the {tool().operation} was interrupted")
        await server.stop(grace=None)

    asyncio.run(serve())
    sys.stdout.flush()
