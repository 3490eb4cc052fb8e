"""Full-text search of the plans in Chinese: a whoosh index with jieba words, built next to the graph, with facets,
highlighted snippets and the place in the text of every hit.

    from plan_kb.search import search
    result = search(kb.current_dir(), "环保厅 活性炭", {"plan": "air"}, page=1, sort="relevance")
"""

from plan_kb.search.index import build_index
from plan_kb.search.query import (
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
