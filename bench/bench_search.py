"""In-process benchmark of etax's search: build time and query latency, printed, no thresholds.

First, beside plain Whoosh (n-grams 1–2, BM25F over name and path: the naive peer) on the real function
catalogue registered names-and-paths-only, with the development set's queries: index build and the
p99 of a query asked again and of its first answer, as ratios beside the performance issue's goals
(≤ 1.2× plain Whoosh). Then an index of ~300 generated function names (plus a few articles) and a
fixed list of queries (Chinese, pinyin, initials, synonyms, misspellings, junk): median and p99
latency of ``search`` and of ``suggest``.

Run: ``.venv/bin/python bench/bench_search.py [rounds]``
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from itertools import product
from pathlib import Path

from etax.search_index import SearchDocument, SearchIndex

sys.path.insert(0, str(Path(__file__).parent))
from search_eval import DEPTH, Etax, PlainWhoosh, catalogue_functions, devset  # type: ignore[import-not-found]

RATIO_GOAL = 1.2

TAXES = [
    "增值税", "消费税", "企业所得税", "个人所得税", "城市维护建设税", "印花税", "房产税", "城镇土地使用税",
    "车船税", "契税", "土地增值税", "资源税", "环境保护税", "社会保险费", "文化事业建设费", "耕地占用税",
    "烟叶税", "船舶吨税", "教育费附加", "地方教育附加", "残疾人就业保障金", "工会经费",
]  # fmt: skip
ACTIONS = [
    ("申报", "我要办税", "税费申报及缴纳"),
    ("缴纳", "我要办税", "税费申报及缴纳"),
    ("更正申报", "我要办税", "税费申报及缴纳"),
    ("申报信息查询", "我要查询", "申报信息查询"),
    ("减免备案", "我要办税", "税收减免"),
    ("退（抵）税申请", "我要办税", "税费退抵"),
    ("完税证明开具", "我要办税", "证明开具"),
    ("优惠政策查询", "公众服务", "政策查询"),
]
INVOICE_FUNCTIONS = [
    "发票领用", "发票票种核定", "发票丢失（被盗）登记", "红字发票信息确认", "增值税专用发票代开",
    "增值税普通发票代开", "发票查验", "数电发票开具", "发票缴销", "发票验旧", "发票增版增量",
    "增值税专用发票使用情况", "发票真伪查询", "开具红字发票", "发票作废",
]  # fmt: skip
ACCOUNT_FUNCTIONS = [
    "纳税人状态查询", "纳税人识别号查询", "统一社会信用代码信息查询", "忘记密码", "办税人员管理",
    "存款账户账号报告", "财务会计制度备案", "清税注销", "跨区域涉税事项报告", "增值税一般纳税人登记",
    "三方协议签订", "非正常户解除", "变更登记", "新办纳税人套餐", "法定代表人信息变更",
]  # fmt: skip
ARTICLES = [
    ("办税人员密码忘记了怎么办", "可以通过登录页面的忘记密码功能，用手机验证码重置。"),
    ("账户被锁定后如何处理", "连续五次输错密码，账户将被冻结三十分钟，之后自动恢复。"),
    ("专票丢失后如何处理", "取得的增值税专用发票丢失后，可凭记账联复印件作为抵扣凭证。"),
]
QUERIES = [
    "增值税", "增值", "zzs", "zengzhishui", "zengzhi", "nsrztcx", "纳税人状态", "专票", "普票", "个税",
    "个税申报", "社保", "掉了", "发票丢了怎么办", "红冲", "完税证明", "税号", "退税", "注销", "密码忘记",
    "冻结", "票种", "识别号", "税", "申报", "发票", "sb", "fapiao", "一般人登记", "小规模",
    "城建税申报", "附加税", "领票", "开票", "数电票", "企业所得税更正申报", '"AND" OR: *?', "😀" * 20,
    "增值税" * 200, "天气预报",
]  # fmt: skip
SUGGEST_QUERIES = [
    "zengzhishu",
    "nsrztc",
    "纳税人壮态",
    "增值税申报表",
    "zengzhisui",
    "qiyesuodeshui",
    "天气预报",
]


def catalogue() -> list[SearchDocument]:
    """About 300 functions and a few articles, named like the real portal's."""
    documents = []
    for (tax_index, tax), (action_index, (action, menu, group)) in product(
        enumerate(TAXES), enumerate(ACTIONS)
    ):
        title = f"{tax}{action}"
        key = f"tax{tax_index}.{action_index}"
        documents.append(
            SearchDocument(
                key=key,
                kind="function",
                title=title,
                short_title=title,
                path=(menu, group, title),
                url=f"/{key}",
            )
        )
    for group, names in (("invoice", INVOICE_FUNCTIONS), ("account", ACCOUNT_FUNCTIONS)):
        for number, title in enumerate(names):
            for variant, suffix in enumerate(("", "（网上）", "结果查询", "进度查询")):
                key = f"{group}.{number}.{variant}"
                documents.append(
                    SearchDocument(
                        key=key,
                        kind="function",
                        title=title + suffix,
                        short_title=title,
                        path=("我要办税", title + suffix),
                        url=f"/{key}",
                    )
                )
    for number, (title, body) in enumerate(ARTICLES):
        key = f"article:bench:{number}"
        documents.append(
            SearchDocument(
                key=key,
                kind="article",
                title=title,
                short_title=title,
                path=("办税指南",),
                url=f"/{key}",
                body=body,
            )
        )
    return documents


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at ``fraction`` (0..1) of the sorted samples, nearest rank."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def timed(call: Callable[[str], object], queries: list[str], rounds: int) -> list[float]:
    """Milliseconds of each call of ``call`` over ``rounds`` passes of ``queries``."""
    samples = []
    for _ in range(rounds):
        for query in queries:
            start = time.perf_counter()
            call(query)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def report(name: str, samples: list[float]) -> None:
    print(
        f"{name:<8} n={len(samples):>5}  median={statistics.median(samples):7.3f} ms  "
        f"p99={percentile(samples, 0.99):7.3f} ms  max={max(samples):7.3f} ms"
    )


def beside_plain_whoosh(rounds: int) -> None:
    """Build and p99 latency of etax and plain Whoosh on the real catalogue, as ratios beside the goals."""
    functions = catalogue_functions()
    queries = list(dict.fromkeys(case.query for case in devset({spec.name for spec in functions})))
    builds: dict[str, list[float]] = {"etax": [], "whoosh": []}
    systems: dict[str, Callable[[str], object]] = {}
    for _ in range(5):
        for name, make in (("etax", Etax), ("whoosh", PlainWhoosh)):
            start = time.perf_counter()
            system = make(functions)
            builds[name].append((time.perf_counter() - start) * 1000)
            systems[name] = system.search
    first = {name: timed(search, queries, 1) for name, search in systems.items()}
    repeated = {name: timed(search, queries, rounds) for name, search in systems.items()}
    print(f"real catalogue: {len(functions)} functions, {len(queries)} distinct queries, top {DEPTH}")
    print(f"{'':<26} {'etax':>9} {'whoosh':>9} {'ratio':>6} {'goal':>6}")
    rows = (
        ("index build median (ms)", statistics.median(builds["etax"]), statistics.median(builds["whoosh"])),
        ("search p99, asked again", percentile(repeated["etax"], 0.99), percentile(repeated["whoosh"], 0.99)),
        ("search p99, first answer", percentile(first["etax"], 0.99), percentile(first["whoosh"], 0.99)),
        (
            "search median, asked again",
            statistics.median(repeated["etax"]),
            statistics.median(repeated["whoosh"]),
        ),
    )
    for label, mine, theirs in rows:
        print(f"{label:<26} {mine:9.3f} {theirs:9.3f} {mine / theirs:6.2f} {'≤' + str(RATIO_GOAL):>6}")
    print()


def main(rounds: int = 20) -> None:
    beside_plain_whoosh(max(1, rounds // 4))
    documents = catalogue()
    builds = []
    index = SearchIndex.build(documents)  # warm-up: imports, pypinyin dictionaries
    for _ in range(5):
        start = time.perf_counter()
        index = SearchIndex.build(documents)
        builds.append((time.perf_counter() - start) * 1000)
    print(
        f"documents: {len(index)}  build median={statistics.median(builds):.1f} ms  min={min(builds):.1f} ms"
    )
    allowed = lambda key: not key.endswith(".3")  # noqa: E731
    popularity = {document.key: number % 7 for number, document in enumerate(documents)}
    report("search", timed(lambda query: index.search(query), QUERIES, rounds))
    report(
        "filtered", timed(lambda q: index.search(q, allowed=allowed, popularity=popularity), QUERIES, rounds)
    )
    report("suggest", timed(lambda query: index.suggest(query), SUGGEST_QUERIES, rounds))
    for query in SUGGEST_QUERIES:
        print(f"  suggest {query!r}: {index.suggest(query, limit=3)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
