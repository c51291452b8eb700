# Copied from ../shared/bench (the baselines) so `make bench` runs from a clean clone.
"""The ceiling for /api/search: bare Litestar + plain Whoosh (n-gram 1-2, BM25F over name + path) over the same
functions as etax (read from FUNCTIONS_JSON, the output of `etax functions list --json`), same JSON shape."""

import json
import os

from litestar import Litestar, get
from whoosh.analysis import NgramAnalyzer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.qparser import MultifieldParser, OrGroup

funcs = json.load(open(os.environ["FUNCTIONS_JSON"], encoding="utf-8"))
funcs = funcs.get("functions", funcs) if isinstance(funcs, dict) else funcs
ana = NgramAnalyzer(1, 2)
schema = Schema(
    code=ID(stored=True),
    name=TEXT(analyzer=ana, stored=True, field_boost=2.0),
    path=TEXT(analyzer=ana),
    url=STORED,
    p=STORED,
)
ix = RamStorage().create_index(schema)
w = ix.writer()
for f in funcs:
    w.add_document(code=f["code"], name=f["name"], path=" ".join(f["path"]), url=f["url"], p=f["path"])
w.commit()
searcher = ix.searcher()
parser = MultifieldParser(["name", "path"], schema, group=OrGroup)


@get("/api/search", sync_to_thread=False)
def search(q: str = "", limit: int = 10) -> dict[str, object]:
    hits = searcher.search(parser.parse(q), limit=limit) if q else []
    return {
        "query": q,
        "results": [
            {
                "code": h["code"],
                "name": h["name"],
                "short_name": h["name"],
                "path": h["p"],
                "url": h["url"],
                "score": h.score,
            }
            for h in hits
        ],
        "suggestions": [],
    }


app = Litestar([search])
