"""Keyword → function search of the e-tax portal: Chinese n-grams, pinyin, synonyms and tiered ranking."""

from .documents import SearchDocument, SearchHit
from .query import SearchIndex

__all__ = ["SearchDocument", "SearchHit", "SearchIndex"]
