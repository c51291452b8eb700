"""``etax forms compute FORM --period P --input FILE.json``: every line of a return as JSON, from the
same engine the pages use, so a return's arithmetic can be checked outside the browser.

The input is a JSON object of line codes and values (``{"T1.1.1": "1000000", "M.13": "10000"}``);
``-`` reads standard input. 系统带出 lines (上期留抵, 本年已预缴 …) come from the ledger in the portal and
are taken from the file here. Exit status 0 when the return is valid, 1 when it has problems (they are
in the JSON, with the line each names), 2 when the form, period or file cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import msgspec

from etax.platform.api import CliCommand
from etax.plugins.filing import policy
from etax.plugins.filing.engine import Computation, EngineError, FormSpec, Kind, LineResult, compute
from etax.plugins.filing.forms import ALIASES, form_named
from etax.plugins.filing.periods import Period, PeriodError


class ComputeOutput(msgspec.Struct, kw_only=True):
    form: str
    name: str
    version: str
    period: str
    ok: bool
    lines: list[LineResult]
    problems: list[str]


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("form", help="form code (BDA0610606 …) or short name: " + ", ".join(ALIASES))
    parser.add_argument("--period", required=True, help="2026-10 (month), 2026Q3 (quarter), 2026H1, 2026")
    parser.add_argument("--input", required=True, help="JSON object of line codes and values; - for stdin")


def run_compute(form: FormSpec, period: Period, data: dict[str, object]) -> Computation:
    inputs = {
        code: value for code, value in data.items() if code not in form.lines or form.lines[code].editable
    }
    system = {
        code: value
        for code, value in data.items()
        if code in form.lines and form.lines[code].kind is Kind.SYSTEM
    }
    return compute(form, period, inputs, system=system)


def _run(args: argparse.Namespace) -> int:
    try:
        form = form_named(args.form)
        period = Period.parse(args.period)
        raw = sys.stdin.buffer.read() if args.input == "-" else Path(args.input).read_bytes()
        data = msgspec.json.decode(raw)
        if not isinstance(data, dict):
            raise ValueError('输入文件应为 JSON 对象：{"栏次代码": 数值, …}')
        result = run_compute(form, period, data)
    except (EngineError, PeriodError, policy.PolicyMissing, ValueError, OSError, msgspec.DecodeError) as exc:
        print(f"etax forms compute: {exc}", file=sys.stderr)
        return 2
    output = ComputeOutput(
        form=form.code,
        name=form.name,
        version=form.version,
        period=period.code,
        ok=result.ok,
        lines=result.lines(form),
        problems=result.problems,
    )
    sys.stdout.write(msgspec.json.format(msgspec.json.encode(output).decode(), indent=2) + "\n")
    return 0 if result.ok else 1


COMPUTE = CliCommand(
    words=("forms", "compute"),
    help="compute every line of a return from a JSON file (same engine as the portal)",
    arguments=_arguments,
    run=_run,
)
