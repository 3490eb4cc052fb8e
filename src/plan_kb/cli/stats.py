from __future__ import annotations

import argparse

HELP = "counts per plan and class"

QUERY = """PREFIX pkb: <https://w3id.org/plan-kb/ontology#>
SELECT ?key ?cls (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?cls ; pkb:inPlan ?plan . ?plan pkb:planKey ?key .
  FILTER(STRSTARTS(STR(?cls), STR(pkb:)))
} GROUP BY ?key ?cls ORDER BY ?key ?cls
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    """Answered by the build's Oxigraph store (opened read-only), not by parsing ``kb.nq``."""
    from plan_kb.store.engine import EmbeddedStore
    from plan_kb.store.folders import current_dir

    store = EmbeddedStore(current_dir(), workers=1, read_only=True)
    rows = store.query(QUERY).records()
    print(f"{'plan':<14}{'class':<16}{'count':>6}")
    for r in rows:
        print(f"{r['key']!s:<14}{str(r['cls']).rsplit('#', 1)[-1]:<16}{int(r['n']):>6}")
    total = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }").records()[0]["n"]
    print(f"{'all':<14}{'triples':<16}{int(total):>6}")
    return 0
