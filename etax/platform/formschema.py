"""Application forms from msgspec Structs: the fields to render, server-side checks, and display.

Each field of a form Struct is ``Annotated[<type>, msgspec.Meta(title="中文标签", …)]``; the title is
the label, ``description`` a hint under the input. Supported types: ``str`` (``max_length``,
``min_length``, ``pattern``), ``int`` (``ge``/``gt``/``le``/``lt``), ``Decimal`` (money: not negative,
at most two decimal places), ``date``, ``bool`` (a checkbox) and ``Literal`` of strings (a select, in
the declared order); each may be ``| None`` with a ``None`` default. Every bad value gets a Chinese
message naming the field; nothing else is accepted.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any, Literal, TypeVar, Union

import msgspec

FieldKind = Literal["text", "number", "decimal", "date", "checkbox", "select"]
T = TypeVar("T", bound=msgspec.Struct)

INT_LIMIT = 2_147_483_647
DECIMAL_PATTERN = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
INT_PATTERN = re.compile(r"^[+-]?\d{1,10}$")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CENT = Decimal("0.01")


class FormField(msgspec.Struct, frozen=True, kw_only=True):
    """One field as the template renders it."""

    name: str
    label: str
    kind: FieldKind
    required: bool
    hint: str = ""
    choices: tuple[str, ...] = ()
    default: str = ""
    max_length: int | None = None
    min_length: int | None = None
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None


class _Field(msgspec.Struct, frozen=True, kw_only=True):
    view: FormField
    annotation: Any
    nullable: bool


def _unwrap(hint: Any) -> tuple[Any, list[msgspec.Meta]]:
    if typing.get_origin(hint) is typing.Annotated:
        base, *extras = typing.get_args(hint)
        return base, [m for m in extras if isinstance(m, msgspec.Meta)]
    return hint, []


def _strip_none(base: Any) -> tuple[Any, bool]:
    if typing.get_origin(base) in (Union, types.UnionType):
        members = [a for a in typing.get_args(base) if a is not type(None)]
        if len(members) == 1 and len(typing.get_args(base)) == 2:
            return members[0], True
    return base, False


def _kind(base: Any) -> FieldKind | None:
    if base is str:
        return "text"
    if base is bool:
        return "checkbox"
    if base is int:
        return "number"
    if base is Decimal:
        return "decimal"
    if base is dt.date:
        return "date"
    if typing.get_origin(base) is Literal and all(isinstance(v, str) for v in typing.get_args(base)):
        return "select"
    return None


def _text(value: object) -> str:
    """A value as an input shows it."""
    if value is None or value is msgspec.NODEFAULT:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT)}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _meta_value(metas: list[msgspec.Meta], name: str) -> Any:
    for meta in metas:
        value = getattr(meta, name, None)
        if value is not None:
            return value
    return None


@cache
def _fields(form: type[msgspec.Struct]) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(form, include_extras=True)
    found: list[_Field] = []
    for info in msgspec.structs.fields(form):
        base, metas = _unwrap(hints[info.name])
        base, nullable = _strip_none(base)
        kind = _kind(base)
        if kind is None:
            raise TypeError(f"field {info.name!r} has an unsupported type {base!r}")
        label = _meta_value(metas, "title")
        if not isinstance(label, str) or not label.strip():
            raise TypeError(f"field {info.name!r} has no Chinese title (msgspec.Meta(title=...))")
        ge, gt = _meta_value(metas, "ge"), _meta_value(metas, "gt")
        le, lt = _meta_value(metas, "le"), _meta_value(metas, "lt")
        view = FormField(
            name=info.name,
            label=label,
            kind=kind,
            required=info.required,
            hint=_meta_value(metas, "description") or "",
            choices=tuple(typing.get_args(base)) if kind == "select" else (),
            default="" if info.required else _text(info.default),
            max_length=_meta_value(metas, "max_length"),
            min_length=_meta_value(metas, "min_length"),
            pattern=_meta_value(metas, "pattern"),
            minimum=ge if ge is not None else (gt + 1 if gt is not None else None),
            maximum=le if le is not None else (lt - 1 if lt is not None else None),
        )
        found.append(_Field(view=view, annotation=hints[info.name], nullable=nullable))
    return tuple(found)


def schema_problems(form: type[msgspec.Struct]) -> list[str]:
    """What keeps ``form`` from being an application form (empty when it is fine)."""
    try:
        fields = _fields(form)
    except (TypeError, NameError) as exc:
        return [f"form {form.__name__}: {exc}"]
    if not fields:
        return [f"form {form.__name__} has no fields"]
    return [
        f"form {form.__name__}: field {f.view.name!r} is a checkbox and needs a default"
        for f in fields
        if f.view.kind == "checkbox" and f.view.required
    ]


def form_fields(form: type[msgspec.Struct]) -> list[FormField]:
    """The fields to render, in declaration order."""
    return [f.view for f in _fields(form)]


def initial_values(form: type[msgspec.Struct]) -> dict[str, str]:
    """The defaults, as the empty form shows them."""
    return {f.view.name: f.view.default for f in _fields(form)}


def values_from_data(form: type[msgspec.Struct], data: Mapping[str, Any]) -> dict[str, str]:
    """Stored data (JSON) as the form shows it again (the 补正 form)."""
    try:
        typed = msgspec.convert(dict(data), form, strict=False)
    except msgspec.ValidationError:
        return initial_values(form)
    return {f.view.name: _text(getattr(typed, f.view.name)) for f in _fields(form)}


def _check_text(field: FormField, value: str) -> str:
    if field.max_length is not None and len(value) > field.max_length:
        return f"{field.label}不能超过{field.max_length}个字"
    if field.min_length is not None and len(value) < field.min_length:
        return f"{field.label}至少填写{field.min_length}个字"
    if field.pattern is not None and not re.search(field.pattern, value):
        return f"{field.label}格式不正确，请检查后重新输入"
    return ""


def _convert(field: _Field, value: str) -> tuple[object, str]:
    """One submitted value converted to its type, or the message saying what is wrong."""
    view = field.view
    if view.kind == "checkbox":
        return True, ""
    if view.kind == "select":
        return (value, "") if value in view.choices else (None, f"{view.label}的选项无效，请重新选择")
    if view.kind == "text":
        return value, _check_text(view, value)
    if view.kind == "number":
        if not INT_PATTERN.match(value) or abs(int(value)) > INT_LIMIT:
            return None, f"{view.label}须为整数"
        number = int(value)
        if view.minimum is not None and number < view.minimum:
            return None, f"{view.label}不能小于{view.minimum}"
        if view.maximum is not None and number > view.maximum:
            return None, f"{view.label}不能大于{view.maximum}"
        return number, ""
    if view.kind == "decimal":
        plain = value.replace(",", "")
        if not DECIMAL_PATTERN.match(plain):
            return None, f"{view.label}须为不小于0的金额，最多保留两位小数"
        return Decimal(plain).quantize(CENT), ""
    if not DATE_PATTERN.match(value):
        return None, f"{view.label}须为有效日期，格式如2026-01-31"
    try:
        return dt.date.fromisoformat(value), ""
    except ValueError:
        return None, f"{view.label}须为有效日期，格式如2026-01-31"


def parse(form: type[T], raw: Mapping[str, str]) -> tuple[T | None, dict[str, str]]:
    """Check submitted text values against ``form``: ``(form, {})`` or ``(None, {field: message})``.

    Runs the per-field checks, then the Struct's own ``problems()``; nothing is stored here.
    """
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for field in _fields(form):
        view = field.view
        text = raw.get(view.name, "").strip()
        if not text:
            if view.kind == "checkbox":
                values[view.name] = False
            elif view.required:
                errors[view.name] = f"请选择{view.label}" if view.kind == "select" else f"请填写{view.label}"
            elif field.nullable:
                values[view.name] = None
            continue
        converted, message = _convert(field, text)
        if message:
            errors[view.name] = message
        else:
            values[view.name] = converted
    if errors:
        return None, errors
    try:
        typed = msgspec.convert(values, form)
    except msgspec.ValidationError:
        return None, {"_form": "表单内容不正确，请检查后重新提交"}
    problems = getattr(typed, "problems", None)
    if callable(problems):
        found = problems()
        if isinstance(found, dict) and found:
            return None, {str(k): str(v) for k, v in found.items()}
    return typed, {}


def encode(form: msgspec.Struct) -> str:
    """The form as stored JSON (``Decimal`` as a string, dates ISO)."""
    return msgspec.json.encode(form).decode("utf-8")


def _display(view: FormField, value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT):,}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def display(form: type[msgspec.Struct] | None, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Stored data as ``(label, value)`` rows; raw keys when the form is no longer known."""
    if form is not None:
        try:
            typed = msgspec.convert(dict(data), form, strict=False)
        except msgspec.ValidationError:
            typed = None
        if typed is not None:
            return [(f.view.label, _display(f.view, getattr(typed, f.view.name))) for f in _fields(form)]
    return [(str(key), "—" if value is None else str(value)) for key, value in data.items()]
