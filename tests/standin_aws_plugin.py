"""A stand-in for pulumi-aws's plugin binary, which can't be built on these machines (its
Go module replaces the Terraform AWS provider with a patched git submodule).

It serves only what the engine asks of a provider resource that manages nothing: its
info, a schema of the provider's arguments the tests use (Pulumi YAML checks a program
against it), and its configuration checked, compared and accepted as given, which is what
pulumi-aws does with arguments it knows. The engine then keeps the provider's arguments in
its state, as it does for the real plugin, and the program's `aws.Provider` is a real
provider resource: what the import job reads of it is what it would read of pulumi-aws's.
Any other call (a resource, an invoke) fails loudly: a test that needs one cannot pass on
this stand-in.

Run as the engine runs a plugin: `python standin_aws_plugin.py <engine address>`; it
prints its port.
"""

import json
import sys
from concurrent import futures
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import plugin_pb2, provider_pb2, provider_pb2_grpc

#: The pulumi-aws version the program's SDK asks for (requirements.txt pins it).
VERSION = "7.51.1"
_ANY = {"$ref": "pulumi.json#/Any"}
#: pulumi-aws's provider arguments the tests give, typed as its schema types them (loosely
#: for the objects).
SCHEMA = {
    "name": "aws",
    "version": VERSION,
    "provider": {
        "inputProperties": {
            **{name: {"type": "string"} for name in ("region", "profile", "stsRegion")},
            **{name: {"type": "string", "secret": True} for name in ("accessKey", "secretKey")},
            "endpoints": {"type": "array", "items": _ANY},
            "assumeRoles": {"type": "array", "items": _ANY},
        }
    },
}


class StandInAws(provider_pb2_grpc.ResourceProviderServicer):
    def GetPluginInfo(self, request: Any, context: Any) -> Any:
        return plugin_pb2.PluginInfo(version=VERSION)

    def GetSchema(self, request: Any, context: Any) -> Any:
        return provider_pb2.GetSchemaResponse(schema=json.dumps(SCHEMA))

    def CheckConfig(self, request: Any, context: Any) -> Any:
        return provider_pb2.CheckResponse(inputs=request.news)

    def DiffConfig(self, request: Any, context: Any) -> Any:
        changed = request.olds != request.news
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME
            if changed
            else provider_pb2.DiffResponse.DIFF_NONE
        )

    def Configure(self, request: Any, context: Any) -> Any:
        return provider_pb2.ConfigureResponse(
            acceptSecrets=True, supportsPreview=True, acceptResources=True, acceptOutputs=True
        )

    def Cancel(self, request: Any, context: Any) -> Any:
        return empty_pb2.Empty()


def main() -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(StandInAws(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    try:
        server.wait_for_termination()
    except KeyboardInterrupt:
        server.stop(0)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
