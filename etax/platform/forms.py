"""Server-side form handling: a msgspec Struct per form, Chinese messages for every error.

A form Struct declares its fields as ``str`` (with ``Meta(title=<中文标签>, max_length=…)``) and may
define ``problems() -> dict[str, str]`` for rules across fields. :func:`read_form` strips whitespace,
converts, and returns either the Struct or the messages to show; nothing is changed on error.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, TypeVar

import msgspec
from litestar import Request

T = TypeVar("T", bound=msgspec.Struct)


class HasProblems(Protocol):
    def problems(self) -> dict[str, str]: ...


def field_label(struct: type[msgspec.Struct], name: str) -> str:
    """The Chinese label of a field (its ``Meta(title=…)``), or the field name."""
    info = msgspec.inspect.type_info(struct)
    assert isinstance(info, msgspec.inspect.StructType)
    for field in info.fields:
        if field.name == name:
            title = getattr(field.type, "title", None)
            if isinstance(title, str):
                return title
            extra = getattr(field.type, "extra_json_schema", None) or {}
            if isinstance(extra.get("title"), str):
                return str(extra["title"])
    return name


def _message(struct: type[msgspec.Struct], error: msgspec.ValidationError) -> tuple[str, str]:
    text = str(error)
    match = re.search(r"at `\$\.(\w+)`", text)
    name = match.group(1) if match else ""
    label = field_label(struct, name) if name else "表单"
    if "Object missing required field" in text:
        missing = re.search(r"field `(\w+)`", text)
        name = missing.group(1) if missing else name
        return name, f"请填写{field_label(struct, name)}"
    if "length <=" in text:
        return name, f"{label}过长，请检查后重新输入"
    if "length >=" in text:
        return name, f"请填写{label}"
    return name, f"{label}格式不正确，请检查后重新输入"


async def read_form(request: Request[Any, Any, Any], struct: type[T]) -> tuple[T | None, dict[str, str]]:
    """Parse the request's form into ``struct``; return ``(form, {})`` or ``(None, {field: message})``."""
    raw = await request.form()
    data: dict[str, object] = {}
    for key in raw:
        values = raw.getall(key)
        data[key] = values[0].strip() if len(values) == 1 and isinstance(values[0], str) else values
    data.pop("_csrf_token", None)
    try:
        form = msgspec.convert(data, struct, strict=False)
    except msgspec.ValidationError as error:
        name, message = _message(struct, error)
        return None, {name or "_form": message}
    problems = getattr(form, "problems", None)
    if callable(problems):
        found = problems()
        if found:
            return None, dict(found)
    return form, {}
