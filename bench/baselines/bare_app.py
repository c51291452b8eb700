# Copied from ../shared/bench (the baselines) so `make bench` runs from a clean clone.
"""The framework's ceiling: a bare Litestar JSON endpoint, served the same way as etax, for throughput ratios."""

from litestar import Litestar, get


@get("/api/search", sync_to_thread=False)
def search(q: str = "") -> dict[str, object]:
    return {"query": q, "results": []}


app = Litestar([search])
