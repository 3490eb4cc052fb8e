"""Full-text search of the plans in Chinese: a whoosh index with jieba words, built next to the graph, with facets,
highlighted snippets and the place in the text of every hit.

    from plan_kb.answers.search import search
    result = search(kb.current_dir(), "环保厅 活性炭", {"plan": "air"}, page=1, sort="relevance")
"""

from typing import Any

from plan_kb.answers.search.query import (
           FACETS,
           SORTS,
           FacetValue,
           Hit,
           SearchIndex,
           SearchQueryError,
           SearchResult,
           open_index,
           search,
)

__all__ = ["FACETS", "SORTS", "FacetValue", "Hit", "SearchIndex", "SearchQueryError", "SearchResult", "build_index",
           "open_index", "search"]


def __getattr__(name: str) -> Any:
    # the builder (rdflib, jieba's tagger, the build pipeline) is imported only when asked for, so a query does not
    # pay for it
    if name == "build_index":
        from plan_kb.answers.search.index import build_index

        return build_index
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
