"""Keyword → function search of the e-tax portal: query understanding over an in-memory Whoosh index
(Chinese n-grams, pinyin and initials, BM25F), synonyms, intents and tiered ranking."""

from .documents import SearchDocument, SearchHit
from .query import SearchIndex

__all__ = ["SearchDocument", "SearchHit", "SearchIndex"]
