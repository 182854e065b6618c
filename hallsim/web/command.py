"""``hallsim serve``: the web app (contract section 8)."""

from __future__ import annotations

import argparse
import os
import secrets
import sys

from ..errors import ScenarioError
from ..i18n import _
from .hosts import is_loopback

__all__ = ["add_commands", "is_loopback", "serve_command"]


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
    serve.add_argument("--max-queue", type=whole_number(1), default=20,
                       help="runs waiting or running at once; more are refused (429) (default 20)")
    serve.add_argument("--max-rooms", type=whole_number(1), default=50,
                       help="exercise rooms kept; a new room past this is refused (429) until a "
                       "trainer deletes one (default 50)")
    serve.add_argument("--max-teams", type=whole_number(1), default=60,
                       help="teams in one room (default 60)")
    serve.add_argument("--room-days", type=whole_number(1), default=14,
                       help="a room nobody has changed for this many days is deleted (default 14)")
    serve.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                       help="also answer to this host name (the training PC's DNS name, a proxy's); "
                       "others are refused, against DNS rebinding")
    serve.set_defaults(handler=serve_command)


def serve_command(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from .app import create_app
    except ImportError as exc:
        raise ScenarioError(f"hallsim serve needs the web extra: pip install 'hallsim[web]' "
                            f"({exc.name} is missing)") from None
    token = args.token
    if token is not None and not token.strip():
        raise ScenarioError(_("--token: the access token is empty (is the variable you meant to "
                              "pass set?); give a token, or leave --token out to have one "
                              "generated"))
    if token is None and not is_loopback(args.host):
        token = secrets.token_urlsafe(18)
    from .. import i18n

    i18n.set_language(None)   # the server's language (pages choose their own with ?lang=)
    app = create_app(args.data, token=token, host=args.host, allow_hosts=args.allow_host,
                     max_runs=args.max_runs, workers=args.workers, max_queue=args.max_queue,
                     max_rooms=args.max_rooms, max_teams=args.max_teams, room_days=args.room_days)
    where = f"http://{args.host if ':' not in args.host else f'[{args.host}]'}:{args.port}/"
    print(f"hallsim: serving {args.data} at {where}" + (f"?token={token}" if token else ""),
          file=sys.stderr)
    if token and token != args.token:
        print(f"hallsim: access token (generated): {token}", file=sys.stderr)
    # Open event streams get a second to close; the app's shutdown then stops the runs.
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_graceful_shutdown=1)
    # Stopped: every write is committed and the workers are killed. A thread still waiting on a
    # killed worker must not hold the exit (the interpreter joins pool threads at exit, which
    # under load took past the 5 s a signal is given), so leave at once.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
