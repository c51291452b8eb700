"""Issue 18's memory phase for several trees or settings side by side, in one run.

``python bench/memory_side_by_side.py --minutes 3 --connections 32 before=/tmp/tree-before
after=.:ETAX_WARMUP=0``: each variant is a source tree (its ``etax`` package is imported from
there) and optional environment settings; each gets its own demo world and a fresh worker, and the mixed
load of ``bench/bench_memory.py`` runs against all of them at once, so that the machine's load is the
same for each. Prints each one's readings and the ratio warm → the end (the workers are started one after
another, so their "first answer" reading is taken once all answer: usually already warm).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import bench_memory, bench_ratios


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("variants", nargs="+", help="name=tree[:NAME=VALUE[,NAME=VALUE…]]")
    args = parser.parse_args()
    workers = []
    with tempfile.TemporaryDirectory(prefix="etax-memory-") as scratch:
        for spec in args.variants:
            name, _, rest = spec.partition("=")
            tree, _, settings = rest.partition(":")
            var_dir = Path(scratch) / name
            var_dir.mkdir()
            env = {
                **os.environ,
                "PYTHONPATH": str(Path(tree).resolve()),
                "ETAX_VAR_DIR": str(var_dir),
                "ETAX_MODE": "dev",
                "ETAX_CAPTCHA_TEST_ANSWER": "TEST",
                "ETAX_DATABASE_URL": f"sqlite:///{var_dir}/etax.sqlite3",
            }
            env.pop("ETAX_CACHE_CHECK_SECONDS", None)
            for setting in filter(None, settings.split(",")):
                key, _, value = setting.partition("=")
                env[key] = value
            bench_ratios.etax_cli(env, "db", "migrate")
            bench_ratios.etax_cli(env, "demo", "load")
            port = bench_ratios.free_port()
            process = bench_ratios.uvicorn("etax.platform.asgi:app", port, env, Path(tree).resolve())
            workers.append((name, f"http://{bench_ratios.HOST}:{port}", process))
        try:
            for _, base, process in workers:
                bench_ratios.wait_ready(f"{base}/api/search?q=a", process)

            async def all_at_once() -> list[bench_memory.MemoryFigures]:
                return list(
                    await asyncio.gather(
                        *(
                            bench_memory.mixed_load(base, process.pid, args.minutes, args.connections)
                            for _, base, process in workers
                        )
                    )
                )

            print(
                f"{len(workers)} workers side by side, {args.minutes:g} min, {args.connections} connections each"
            )
            results = asyncio.run(all_at_once())
        finally:
            for _, _, process in workers:
                bench_ratios.stop(process)
    for (name, _, _), figures in zip(workers, results, strict=True):
        print(f"{name}:")
        bench_memory.report(figures, args.minutes)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
