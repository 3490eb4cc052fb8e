from __future__ import annotations

import argparse

HELP = "serve the knowledge base: SPARQL endpoint, named queries and the JSON/CSV API (FastAPI under uvicorn)"


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
    from plan_kb.service.settings import Settings

    overrides = {"store": args.store} if args.store else {}
    settings = Settings(**overrides)
    app = create_app(settings)  # loads the store now, so a missing build fails here with one line
    print(f"serving {app.state.kb.store.description} on http://{args.host}:{args.port}/ "
          f"(SPARQL: /sparql, API docs: /docs)", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=False)
    return 0
