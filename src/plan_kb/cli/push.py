from __future__ import annotations

import argparse

HELP = "upload the current knowledge base to a SPARQL store with the Graph Store Protocol (one PUT per named graph)"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("url", help="the store: the root of an 'oxigraph serve' (http://host:7878) or a query endpoint")
    p.add_argument("--gsp", metavar="URL", help="the Graph Store Protocol endpoint, when not <root>/store")


def push(url: str, gsp: str | None = None) -> dict[str, int]:
    from plan_kb.store import RemoteStore
    from plan_kb.store.folders import current_dir

    store = RemoteStore(url, gsp_url=gsp)
    try:
        return store.push(current_dir() / "kb.nq")
    finally:
        store.close()


def run(args: argparse.Namespace) -> int:
    counts = push(args.url, args.gsp)
    for g, n in counts.items():
        print(f"{g or '(default graph)'}: {n} triples")
    print(f"pushed {len(counts)} graphs, {sum(counts.values())} triples to {args.url}")
    return 0
