from __future__ import annotations

import argparse

from plan_kb.base.namespaces import sparql_prefixes
from plan_kb.store.folders import load_dataset

HELP = "counts per plan and class"

QUERY = sparql_prefixes() + """
SELECT ?key ?cls (COUNT(DISTINCT ?s) AS ?n) WHERE {
  ?s a ?cls ; pkb:inPlan ?plan . ?plan pkb:planKey ?key .
  FILTER(STRSTARTS(STR(?cls), STR(pkb:)))
} GROUP BY ?key ?cls ORDER BY ?key ?cls
"""


def add_arguments(p: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    ds = load_dataset()
    rows = list(ds.query(QUERY))
    print(f"{'plan':<14}{'class':<16}{'count':>6}")
    for key, cls, n in rows:
        print(f"{key!s:<14}{str(cls).rsplit('#', 1)[-1]:<16}{int(n):>6}")
    total = next(iter(ds.query(sparql_prefixes() + """SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }""")))[0]
    print(f"{'all':<14}{'triples':<16}{int(total):>6}")
    return 0
