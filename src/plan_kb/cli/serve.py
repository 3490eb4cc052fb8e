from __future__ import annotations

import argparse
import threading
from typing import Any

HELP = "serve the knowledge base: SPARQL endpoint, named queries and the JSON/CSV API (FastAPI under uvicorn)"

#: Seconds the server waits for requests in flight when it is told to stop (SIGTERM, Ctrl-C).
GRACE = 3


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--store", metavar="URL",
                   help="serve from this SPARQL endpoint (e.g. an 'oxigraph serve' root http://host:7878) instead "
                        "of the embedded store of the current build")
    p.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from plan_kb.service.app import create_app
    from plan_kb.service.deps import close_all
    from plan_kb.service.errors import MAX_HEAD, H11JSONErrors, httptools_protocol
    from plan_kb.service.settings import Settings

    overrides = {"store": args.store} if args.store else {}
    settings = Settings(**overrides)
    app = create_app(settings)  # loads the store now, so a missing build fails here with one line

    class Server(uvicorn.Server):
        """Stopping also stops the query workers at once, so no request waits on one past the signal."""

        def handle_exit(self, sig: int, frame: Any) -> None:
            super().handle_exit(sig, frame)
            threading.Thread(target=close_all, args=(app,), daemon=True).start()

    # uvicorn's protocols with the one error format for requests they cannot read (uvicorn answers in plain text)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False,
                            http=httptools_protocol() or H11JSONErrors, h11_max_incomplete_event_size=MAX_HEAD,
                            timeout_graceful_shutdown=GRACE)
    print(f"serving {app.state.kb.store.description} on http://{args.host}:{args.port}/ "
          f"(SPARQL: /sparql, API docs: /docs)", flush=True)
    Server(config).run()
    return 0
