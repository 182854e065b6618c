"""``hallsim serve``: the web app (contract section 8)."""

from __future__ import annotations

import argparse
import ipaddress
import secrets
import sys

from ..errors import ScenarioError


def add_commands(commands) -> None:
    from ..cli import whole_number

    serve = commands.add_parser(
        "serve", help="serve the browser app: shift-plan editor, runs, exercise rooms")
    serve.add_argument("--data", metavar="DIR", default="hallsim-data",
                       help="folder of scenarios, challenges and results (default ./hallsim-data, "
                       "created with the shipped examples)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1: this computer only)")
    serve.add_argument("--port", type=whole_number(0), default=8000, help="port (default 8000)")
    serve.add_argument("--token", default=None,
                       help="access token every request must carry (required, or generated "
                       "and printed, when --host is not a loopback address)")
    serve.add_argument("--max-runs", type=whole_number(1), default=2,
                       help="runs simulated at once; others wait in a queue (default 2)")
    serve.add_argument("--workers", type=whole_number(0), default=2,
                       help="simulation processes (default 2; 0 = inside the server process)")
    serve.set_defaults(handler=serve_command)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_command(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from .app import create_app
    except ImportError as exc:
        raise ScenarioError(f"hallsim serve needs the web extra: pip install 'hallsim[web]' "
                            f"({exc.name} is missing)") from None
    token = args.token
    if token is None and not is_loopback(args.host):
        token = secrets.token_urlsafe(18)
    from .. import i18n

    i18n.set_language(None)   # the server's language (pages choose their own with ?lang=)
    app = create_app(args.data, token=token, max_runs=args.max_runs, workers=args.workers)
    where = f"http://{args.host if ':' not in args.host else f'[{args.host}]'}:{args.port}/"
    print(f"hallsim: serving {args.data} at {where}" + (f"?token={token}" if token else ""),
          file=sys.stderr)
    if token and token != args.token:
        print(f"hallsim: access token (generated): {token}", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
