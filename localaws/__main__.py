"""`python -m localaws [--host H] [--port N]`: serve moto and Cognito import jobs."""

import argparse

from .server import LocalAwsServer


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m localaws", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=5000, help="port; 0 picks a free one")
    args = parser.parse_args()
    server = LocalAwsServer(args.host, args.port)
    print(f"localaws listening on {server.endpoint}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
