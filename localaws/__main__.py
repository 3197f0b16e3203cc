"""`localaws [--host H] [--port N]` (or `python -m localaws`): serve moto and Cognito import
jobs on one port until Ctrl-C or SIGTERM, printing the endpoint to point clients at."""

import argparse
import signal
import sys
import threading

import localaws


def main() -> None:
    parser = argparse.ArgumentParser(prog="localaws", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=5000, help="port; 0 picks a free one")
    args = parser.parse_args()
    if localaws.MISSING:
        sys.exit(f"localaws: {localaws.MISSING}")
    try:
        server = localaws.LocalAwsServer(args.host, args.port)
    except OSError as error:
        sys.exit(f"localaws: cannot listen on {args.host}:{args.port}: {error.strerror}")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, name="localaws", daemon=True).start()
    print(f"localaws listening on {server.endpoint}", flush=True)
    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
