"""``Emulator``: an AdminService over real HTTPS on 127.0.0.1, backed by the demo site.

    with Emulator(devices=200, seed=7, speed=20).start() as emu:
        session = cmpivot_magic.connect(emu.url, token=emu.token, verify=emu.ca_path)
        session.run("OS | summarize count() by Caption", collection="SMS00001")

A trustme CA signs a certificate for 127.0.0.1 and localhost (the CA's PEM is ``ca_path``). The
server is a threading HTTP/1.1 server with keep-alive; the TLS handshake happens on each
connection's own thread. ``speed`` divides every device's simulated latency. ``token`` may do
everything; ``add_token(read=..., run=...)`` makes a role scoped to collections. ``faults``
(``faults.py``) makes it misbehave on purpose; ``/_emulator/faults`` does the same over HTTP.
``entra`` (``entra.py``) is an Entra ID stand-in on the same server: msal signs in at
``entra.authority`` for ``entra.client_id`` and ``entra.scope``, and the AdminService verifies
the JWTs it issues.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import shutil
import socket
import ssl
import struct
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from .._optional import import_optional
from ..backends.demo.site import DemoSite
from ..backends.demo.site_classes import demo_catalog
from ..backends.tables import TableBackend, Timeline
from ..errors import CMPivotError
from .app import AdminServiceApp
from .entra import EntraStandIn
from .faults import Fault, FaultSwitches
from .inventory import Grant, Inventory
from .routing import Response, error

HOST = "127.0.0.1"


class Emulator:
    """A stand-in AdminService for tests, demos and trying the connected flow without a site."""

    def __init__(self, devices: int = 200, seed: int = 7, speed: float = 1.0, port: int = 0, *,
                 offline: float = 0.1, failure: float = 0.02, ps4: float = 0.03, now: dt.datetime | None = None,
                 max_result_bytes: int = 128_000, host: str = HOST) -> None:
        if speed <= 0:
            raise CMPivotError("the emulator's speed must be positive")
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise CMPivotError("the emulator serves on the loopback interface only")
        self.site = DemoSite(devices=devices, seed=seed, offline=offline, failure=failure, ps4=ps4)
        self.speed, self.host, self._port = speed, host, port
        self.fixed_now = now
        backend = TableBackend("emulator", "onprem", self.site, self.site, Timeline("virtual"), max_result_bytes,
                               entities=demo_catalog())
        self.app = AdminServiceApp(Inventory(self.site), backend, speed, self._now)
        self.token = secrets.token_hex(24)
        self.app.grants[self.token] = Grant("CONTOSO\\cmadmin")
        self.entra = EntraStandIn()
        self.app.token_verifier = self.entra.verify
        self.faults = FaultSwitches()
        self.bytes_sent = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._dir: Path | None = None
        self.ca_path = ""
        self.url = ""

    def _now(self) -> dt.datetime:
        return self.fixed_now or dt.datetime.now(dt.UTC)

    # ----------------------------------------------------------------------------- lifecycle

    def start(self) -> Emulator:
        if self._server is not None:
            return self
        trustme = import_optional("trustme", "emulator", "the AdminService emulator")
        self._dir = Path(tempfile.mkdtemp(prefix="cmpivot-emulator-"))
        ca = trustme.CA(organization_name="cmpivot-magic emulator")
        cert = ca.issue_cert("127.0.0.1", "localhost", "::1")
        ca.cert_pem.write_to_path(str(self._dir / "ca.pem"))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)
        server = _Server((self.host, self._port), _Handler, context, self)
        self._server = server
        self.ca_path = str(self._dir / "ca.pem")
        port = server.server_address[1]
        self.app.origin = f"https://{self.host}:{port}"
        self.entra.origin = self.app.origin
        self.url = f"{self.app.origin}/AdminService"
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="cmpivot-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.close_connections()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)
        self._server = None
        for operation in self.app.operations.values():
            operation.cancel()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def __repr__(self) -> str:
        return (f"Emulator(devices={self.site.fleet.n}, seed={self.site.seed}, speed={self.speed}, "
                f"url={self.url or '(not started)'!r})")

    @property
    def port(self) -> int:
        return self._server.server_address[1] if self._server is not None else self._port

    # --------------------------------------------------------------------------- test API

    def add_token(self, *, read: Iterable[str] | None = None, run: Iterable[str] | None = None,
                  name: str = "CONTOSO\\helpdesk", inventory_reports: bool = True, create_collections: bool = True,
                  run_scripts: bool = True) -> str:
        """A new bearer token whose role reads and runs CMPivot on only these collections (None:
        all), with or without Read on Inventory Reports, Create on Collection and Run Script."""
        token = secrets.token_hex(24)
        self.app.grants[token] = Grant(name, _ids(read), _ids(run), inventory_reports, create_collections,
                                       run_scripts)
        return token

    def revoke(self, token: str) -> None:
        self.app.grants.pop(token, None)

    def fault(self, kind: str, route: str = "*", **options: Any) -> contextlib.AbstractContextManager[Fault]:
        """``with emulator.fault("drop", "result", times=2): ...`` — a fault for the block."""
        return self.faults.active(kind, route, **options)

    @property
    def operations(self) -> dict[int, Any]:
        return self.app.operations

    @property
    def requests(self) -> dict[str, int]:
        """Requests served per route name."""
        return dict(self.app.counts)

    def members(self, collection_id: str) -> list[int]:
        return sorted(self.app.inventory.members[collection_id.upper()])


def _ids(values: Iterable[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(v.upper() for v in values)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], context: ssl.SSLContext,
                 emulator: Emulator) -> None:
        self.context, self.emulator = context, emulator
        self.connections: set[Any] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, handler)

    def close_connections(self) -> None:
        """End idle keep-alive connections, so their threads finish with the server."""
        with self._connections_lock:
            open_now = list(self.connections)
        for conn in open_now:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def get_request(self) -> tuple[Any, Any]:
        sock, address = self.socket.accept()
        # headers and body go out in separate writes: without this, Nagle meets delayed ACK (40 ms)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        # the handshake runs on the connection's own thread, so a slow client can't stall accept()
        wrapped = self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        with self._connections_lock:
            self.connections.add(wrapped)
        return wrapped, address

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that went away mid-request is routine here (faults, timeouts)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "Microsoft-HTTPAPI/2.0"
    sys_version = ""
    timeout = 30
    server: _Server

    def setup(self) -> None:
        self.request.settimeout(self.timeout)
        try:
            self.request.do_handshake()
        except (OSError, ssl.SSLError):
            self._broken = True
        else:
            self._broken = False
        super().setup()

    def handle(self) -> None:
        if not self._broken:
            with contextlib.suppress(OSError, ssl.SSLError):
                super().handle()

    def finish(self) -> None:
        with contextlib.suppress(OSError, ssl.SSLError, ValueError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        emulator = self.server.emulator
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items()}
        if self.path.startswith("/_emulator/"):
            self._send(_admin(emulator, method, self.path, headers, body))
            return
        if emulator.entra.handles(self.path):
            self._send(emulator.entra.handle(method, self.path, body))
            return
        route, _, _, _ = emulator.app.route_of(method, self.path)
        emulator.app.note(method, route)
        fault = emulator.faults.strike(route)
        if fault is not None and fault.kind == "drop":
            self._reset()
            return
        if fault is not None and fault.kind == "slow":
            time.sleep(fault.delay)
        if fault is not None and fault.kind == "status":
            extra = {"Retry-After": f"{fault.retry_after:g}"} if fault.retry_after is not None else {}
            self._send(error(fault.status, fault.message or _DEFAULT_MESSAGES.get(fault.status, "Error"), extra))
            return
        try:
            response = emulator.app.handle(method, self.path, headers, body)
        except Exception as err:  # a bug in the emulator: answer as the AdminService would, with a 500
            response = error(500, f"An error has occurred. {type(err).__name__}: {err}")
        if fault is not None and fault.kind in ("truncate", "malformed"):
            response = response.whole()
        if fault is not None and fault.kind == "truncate" and response.body:
            self._send(response, cut=max(1, len(response.body) // 2))
            return
        if fault is not None and fault.kind == "malformed" and response.status == 200 and response.body:
            response = Response(200, response.body[: max(1, len(response.body) // 2)], response.headers)
        self._send(response)

    def _send(self, response: Response, cut: int | None = None) -> None:
        parts = response.parts if response.parts is not None else [response.body]
        self.send_response(response.status)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(sum(len(p) for p in parts)))
        if cut is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        if cut is not None:
            parts = [b"".join(parts)[:cut]]
        sent = 0
        for payload in _grouped(parts):
            self.wfile.write(payload)
            sent += len(payload)
        self.wfile.flush()
        self.server.emulator.bytes_sent += sent
        if cut is not None:
            self.close_connection = True
            self._reset()

    def _reset(self) -> None:
        """Drop the connection with a TCP reset, as a crashed or overloaded server does."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            # close the descriptor itself (the handler's files still hold the socket object): no TLS
            # close_notify, no FIN — the client sees a reset
            os.close(self.request.detach())


def _grouped(parts: list[bytes], size: int = 1 << 20) -> Iterator[bytes]:
    """Small parts joined into writes of about ``size`` bytes (one TLS record burst each)."""
    group: list[bytes] = []
    held = 0
    for part in parts:
        group.append(part)
        held += len(part)
        if held >= size:
            yield b"".join(group)
            group, held = [], 0
    if group:
        yield b"".join(group)


_DEFAULT_MESSAGES = {
    400: "Bad Request", 401: "Authorization has been denied for this request.", 403: "Forbidden",
    404: "Access denied  WMI QUERY: ", 429: "Too many requests.", 500: "An error has occurred.",
    502: "Bad Gateway", 503: "The service is unavailable.", 504: "Gateway Timeout",
}


def _admin(emulator: Emulator, method: str, path: str, headers: dict[str, str], body: bytes) -> Response:
    """``/_emulator/faults`` (GET, POST a fault as JSON, DELETE all) and ``/_emulator/stats``."""
    auth = (headers.get("Authorization") or "").partition(" ")[2].strip()
    if auth != emulator.token:
        return error(401, "the emulator's admin endpoints need its admin token")
    route = path.split("?")[0].rstrip("/")
    ok = {"Content-Type": "application/json"}
    if route == "/_emulator/faults":
        if method == "POST":
            try:
                spec = json.loads(body or b"{}")
                fault = emulator.faults.add(**spec)
            except (TypeError, ValueError) as err:
                return error(400, str(err))
            return Response(201, json.dumps(fault.as_dict()).encode(), ok)
        if method == "DELETE":
            emulator.faults.clear()
            return Response(204)
        return Response(200, json.dumps([f.as_dict() for f in emulator.faults]).encode(), ok)
    if route == "/_emulator/stats":
        stats = {"requests": emulator.requests, "bytes_sent": emulator.bytes_sent,
                 "operations": len(emulator.operations)}
        return Response(200, json.dumps(stats).encode(), ok)
    return error(404, f"no emulator endpoint {route}")


@contextlib.contextmanager
def running(**options: Any) -> Iterator[Emulator]:
    """``with running(devices=50, speed=50) as emu:`` — start, yield, stop."""
    emulator = Emulator(**options).start()
    try:
        yield emulator
    finally:
        emulator.stop()


__all__ = ["Emulator", "running"]
