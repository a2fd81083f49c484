"""``cmpivot emulator``: serve an emulated AdminService until interrupted.

    $ cmpivot emulator --devices 500 --seed 7 --speed 10
    url: https://127.0.0.1:50123/AdminService
    ca: /tmp/cmpivot-emulator-x1y2/ca.pem
    token: 3q2-…
    authority: https://127.0.0.1:50123/5edc67d5-…
    client_id: 19ceaec0-…
    scope: api://5edc67d5-…/ConfigMgrService/user_impersonation

The six lines come first, one per line, flushed, so a script or test can read them and connect:
``cmpivot --connection URL --token TOKEN --verify CA "OS | summarize count() by Caption"``, or sign
in through the Entra ID stand-in: ``cmpivot -c URL --verify CA --auth msal --tenant … --client-id
CLIENT_ID --scope SCOPE --authority AUTHORITY "OS"`` (open the printed page to approve the code).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from typing import TextIO


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cmpivot emulator",
        description="Serve an AdminService stand-in over HTTPS on 127.0.0.1, backed by the simulated site, "
        "and print its url, CA certificate path and a bearer token.",
    )
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free port)")
    parser.add_argument("--devices", type=int, default=200, help="devices on the simulated site (default 200)")
    parser.add_argument("--seed", type=int, default=7, help="the site's random seed (default 7)")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="divide every device's answer latency by this (default 1: real time)")
    parser.add_argument("--offline", type=float, default=0.1, help="fraction of devices offline (default 0.1)")
    parser.add_argument("--failure", type=float, default=0.02, help="fraction of devices failing (default 0.02)")
    parser.add_argument("--token-lifetime", type=int, default=3600, metavar="S",
                        help="seconds an Entra ID stand-in access token lives (default 3600)")
    parser.add_argument("--auto-approve", action="store_true",
                        help="approve every device-code sign-in at once (demos; otherwise open the verification URL)")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None,
         stop: threading.Event | None = None) -> int:
    """Run the emulator; return when interrupted (Ctrl+C, SIGTERM) or when ``stop`` is set."""
    from ..errors import CMPivotError
    from .server import Emulator

    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = build_parser().parse_args(argv)
    try:
        emulator = Emulator(devices=args.devices, seed=args.seed, speed=args.speed, port=args.port,
                            offline=args.offline, failure=args.failure).start()
    except (CMPivotError, ValueError, OSError) as e:
        print(f"cmpivot emulator: {e}", file=err)
        return 2
    emulator.entra.lifetime = args.token_lifetime
    emulator.entra.auto_approve = args.auto_approve
    stop = stop or threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        print(f"url: {emulator.url}", file=out, flush=True)
        print(f"ca: {emulator.ca_path}", file=out, flush=True)
        print(f"token: {emulator.token}", file=out, flush=True)
        print(f"authority: {emulator.entra.authority}", file=out, flush=True)
        print(f"client_id: {emulator.entra.client_id}", file=out, flush=True)
        print(f"scope: {emulator.entra.scope}", file=out, flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
