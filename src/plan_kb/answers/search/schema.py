"""What the index builder and the query side share: the search folder's layout and the whoosh schema.

Kept apart from :mod:`plan_kb.answers.search.index` (the builder, which reads the graph with rdflib and runs jieba's
part-of-speech tagger) so that opening and querying an index imports only whoosh and jieba.
"""

from __future__ import annotations

from typing import Any

from whoosh.fields import ID, STORED, TEXT, Schema

from plan_kb.answers.search.analyzer import gram_analyzer, word_analyzer

SEARCH_DIR = "search"
INDEX_DIR = "index"
CONFIG = "config.json"

#: Field → weight of a match in it. The title says what the item is; ``facts`` holds the names of its agencies, its
#: places with every place they lie within, and its indicators, as read into the graph; the text is everything.
WORD_FIELDS = {"title": 3.0, "text": 1.0, "facts": 1.5}


def make_schema(seg: Any) -> Schema:
    """The schema, its word fields cut by ``seg`` (a :class:`~plan_kb.answers.search.analyzer.Segmenter`, or anything
    with its ``words`` and ``subwords``)."""
    words = word_analyzer(seg)
    return Schema(
        iri=ID(stored=True, unique=True),
        title=TEXT(analyzer=words, phrase=False),
        text=TEXT(analyzer=words, phrase=False),
        facts=TEXT(analyzer=words, phrase=False),
        grams=TEXT(analyzer=gram_analyzer(), phrase=True),
        meta=STORED(),
    )
