"""The one form layer: a msgspec Struct per form, its fields described by ``msgspec.inspect``, a Chinese
message for every bad value, and the form read once per request.

A form Struct declares each field as ``Annotated[<type>, msgspec.Meta(title="中文标签", …)]``: the title
is the label (and names the field in messages), ``description`` a hint under the input. The checks come
from the same metadata — ``min_length``/``max_length``/``pattern`` on text, ``ge``/``gt``/``le``/``lt`` on
integers — and from the type: ``int``, ``Decimal`` (money: not negative, at most two decimal places),
``date``, ``bool`` (a checkbox), a ``Literal`` of strings or an ``Enum`` (a select), ``list[str]`` (a
group of checkboxes); each may be ``| None``. Every field is checked on its own, so a message always
names its field; nothing here reads msgspec's (English) error text. A Struct may define
``problems() -> dict[str, str]`` for rules across fields.

Empty input: a text field keeps ``""`` (``min_length=1`` makes it required); any other field takes its
default (``None`` when nullable); a field without a default must be filled (``请填写…`` / ``请选择…``).

:func:`read_form` reads the request's form (once per request, see :func:`submitted`) and returns
``(form, {})`` or ``(None, {field: message})``; nothing is changed on error. Application forms
(:mod:`etax.platform.application_spec`) are rendered from :func:`form_fields` and checked by the same
:func:`parse`.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any, Literal, TypeVar, get_type_hints

import msgspec
import msgspec.inspect as mi
from litestar import Request
from litestar.datastructures import UploadFile

T = TypeVar("T", bound=msgspec.Struct)

FieldKind = Literal["text", "number", "decimal", "date", "checkbox", "select", "list", "other"]
RENDERABLE: frozenset[str] = frozenset({"text", "number", "decimal", "date", "checkbox", "select"})
"""The kinds an application form may use (the ones :file:`applications/_fields.html` draws)."""

INT_LIMIT = 2_147_483_647
CENT = Decimal("0.01")
MONEY_LIMIT = Decimal("1000000000000")
TRUE_WORDS = frozenset({"on", "1", "true", "yes"})
FALSE_WORDS = frozenset({"off", "0", "false", "no"})
SUBMITTED_KEY = "etax_form"
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
Raw = str | list[str]


class FormField(msgspec.Struct, frozen=True, kw_only=True):
    """One field of a form as templates render it and :func:`parse` checks it."""

    name: str
    label: str
    kind: FieldKind
    required: bool
    titled: bool = True
    nullable: bool = False
    hint: str = ""
    choices: tuple[str, ...] = ()
    default: str = ""
    max_length: int | None = None
    min_length: int | None = None
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_items: int | None = None


class _Field(msgspec.Struct, frozen=True, kw_only=True):
    view: FormField
    form: Any
    default: Any
    enum_type: Any = None

    @property
    def annotation(self) -> Any:
        return _hints(self.form).get(self.view.name, Any)


def _unwrap(info: mi.Type) -> tuple[mi.Type, dict[str, Any], bool]:
    """The field's type without its metadata and ``| None``: (type, json-schema extras, nullable)."""
    extras: dict[str, Any] = {}
    while isinstance(info, mi.Metadata):
        extras.update(info.extra_json_schema or {})
        info = info.type
    nullable = False
    if isinstance(info, mi.UnionType):
        members = [t for t in info.types if not isinstance(t, mi.NoneType)]
        if len(members) == 1 and len(info.types) == 2:
            nullable = True
            info = members[0]
            while isinstance(info, mi.Metadata):
                extras.update(info.extra_json_schema or {})
                info = info.type
    return info, extras, nullable


def _kind(info: mi.Type) -> FieldKind:
    if isinstance(info, mi.StrType):
        return "text"
    if isinstance(info, mi.BoolType):
        return "checkbox"
    if isinstance(info, mi.IntType):
        return "number"
    if isinstance(info, mi.DecimalType):
        return "decimal"
    if isinstance(info, mi.DateType):
        return "date"
    if isinstance(info, mi.LiteralType) and all(isinstance(v, str) for v in info.values):
        return "select"
    if isinstance(info, mi.EnumType) and all(isinstance(m.value, str) for m in info.cls):
        return "select"
    if isinstance(info, mi.ListType | mi.VarTupleType) and isinstance(info.item_type, mi.StrType):
        return "list"
    return "other"


def _text(value: object) -> str:
    """A value as an input shows it."""
    if value is None or value is msgspec.NODEFAULT:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT)}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ""
    return str(value)


@cache
def _hints(form: type[msgspec.Struct]) -> dict[str, Any]:
    try:
        return get_type_hints(form, include_extras=True)
    except (NameError, TypeError):
        return {}


@cache
def _fields(form: type[msgspec.Struct]) -> tuple[_Field, ...]:
    info = mi.type_info(form)
    if not isinstance(info, mi.StructType):
        raise TypeError(f"{form!r} is not a msgspec Struct")
    found: list[_Field] = []
    for field in info.fields:
        base, extras, nullable = _unwrap(field.type)
        kind = _kind(base)
        title = extras.get("title")
        titled = isinstance(title, str) and bool(title.strip())
        default: Any = field.default
        if field.default_factory is not msgspec.NODEFAULT:
            default = field.default_factory
        ge = getattr(base, "ge", None)
        gt = getattr(base, "gt", None)
        le = getattr(base, "le", None)
        lt = getattr(base, "lt", None)
        item = getattr(base, "item_type", None)
        choices: tuple[str, ...] = ()
        enum_type = None
        if isinstance(base, mi.LiteralType):
            choices = tuple(str(v) for v in base.values)
        elif isinstance(base, mi.EnumType):
            enum_type = base.cls
            choices = tuple(str(m.value) for m in base.cls)
        view = FormField(
            name=field.name,
            label=str(title) if titled else "",
            kind=kind,
            required=field.required,
            titled=titled,
            nullable=nullable,
            hint=str(extras.get("description") or ""),
            choices=choices,
            default="" if field.required else _text(field.default),
            max_length=getattr(item if kind == "list" else base, "max_length", None),
            min_length=getattr(item if kind == "list" else base, "min_length", None),
            pattern=getattr(item if kind == "list" else base, "pattern", None),
            minimum=ge if ge is not None else (gt + 1 if gt is not None else None),
            maximum=le if le is not None else (lt - 1 if lt is not None else None),
            max_items=getattr(base, "max_length", None) if kind == "list" else None,
        )
        found.append(_Field(view=view, form=form, default=default, enum_type=enum_type))
    return tuple(found)


def field_label(struct: type[msgspec.Struct], name: str) -> str:
    """The Chinese label of a field (its ``Meta(title=…)``), or the field name."""
    for field in _fields(struct):
        if field.view.name == name:
            return field.view.label or name
    return name


def form_fields(form: type[msgspec.Struct]) -> list[FormField]:
    """The fields to render, in declaration order."""
    return [f.view for f in _fields(form)]


def schema_problems(form: type[msgspec.Struct]) -> list[str]:
    """What keeps ``form`` from being an application form (empty when it is fine)."""
    try:
        fields = _fields(form)
    except (TypeError, NameError) as exc:
        return [f"form {form.__name__}: {exc}"]
    if not fields:
        return [f"form {form.__name__} has no fields"]
    found: list[str] = []
    for field in fields:
        view = field.view
        if view.kind not in RENDERABLE or field.enum_type is not None:
            found.append(
                f"form {form.__name__}: field {view.name!r} has an unsupported type {field.annotation!r}"
            )
        elif not view.titled:
            found.append(
                f"form {form.__name__}: field {view.name!r} has no Chinese title (msgspec.Meta(title=...))"
            )
        elif view.kind == "checkbox" and view.required:
            found.append(f"form {form.__name__}: field {view.name!r} is a checkbox and needs a default")
    return found


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


def _label(view: FormField) -> str:
    return view.label or "该项"


def _check_text(view: FormField, value: str) -> str:
    label = _label(view)
    if view.max_length is not None and len(value) > view.max_length:
        return f"{label}不能超过{view.max_length}个字"
    if view.min_length is not None and len(value) < view.min_length:
        return f"请填写{label}" if not value else f"{label}至少填写{view.min_length}个字"
    if view.pattern is not None and value and not re.search(view.pattern, value):
        return f"{label}格式不正确，请检查后重新输入"
    return ""


def _number(view: FormField, value: str) -> tuple[object, str]:
    label = _label(view)
    try:
        number = int(value)
    except ValueError:
        return None, f"{label}须为整数"
    if abs(number) > INT_LIMIT:
        return None, f"{label}须为整数"
    if view.minimum is not None and number < view.minimum:
        return None, f"{label}不能小于{view.minimum}"
    if view.maximum is not None and number > view.maximum:
        return None, f"{label}不能大于{view.maximum}"
    return number, ""


def _money(view: FormField, value: str) -> tuple[object, str]:
    message = f"{_label(view)}须为不小于0的金额，最多保留两位小数"
    try:
        amount = Decimal(value.replace(",", ""))
    except InvalidOperation:
        return None, message
    if not amount.is_finite() or amount < 0 or amount >= MONEY_LIMIT or amount != amount.quantize(CENT):
        return None, message
    return amount.quantize(CENT), ""


def _convert(field: _Field, value: Raw) -> tuple[object, str]:
    """One submitted, non-empty value converted to its type, or the message saying what is wrong."""
    view = field.view
    label = _label(view)
    if view.kind == "list":
        items = [value] if isinstance(value, str) else list(value)
        items = [item.strip() for item in items if item.strip()]
        if view.max_items is not None and len(items) > view.max_items:
            return None, f"{label}最多选择{view.max_items}项"
        for item in items:
            message = _check_text(view, item)
            if message:
                return None, message
        return items, ""
    if view.kind == "other":
        try:
            return msgspec.convert(value, field.annotation, strict=False), ""
        except msgspec.ValidationError:
            return None, f"{label}格式不正确，请检查后重新输入"
    if not isinstance(value, str):
        return None, f"{label}只能填写一项"
    if view.kind == "text":
        return value, _check_text(view, value)
    if view.kind == "checkbox":
        word = value.lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS, ""
        return None, f"{label}的选项无效，请重新选择"
    if view.kind == "select":
        if value not in view.choices:
            return None, f"{label}的选项无效，请重新选择"
        return (field.enum_type(value) if field.enum_type is not None else value), ""
    if view.kind == "number":
        return _number(view, value)
    if view.kind == "decimal":
        return _money(view, value)
    if DATE_TEXT.fullmatch(value):
        try:
            return dt.date.fromisoformat(value), ""
        except ValueError:
            pass
    return None, f"{label}须为有效日期，格式如2026-01-31"


def _empty(field: _Field) -> tuple[object, str]:
    """What an empty (or missing) value means for ``field``."""
    view = field.view
    if view.kind == "checkbox":
        return False, ""
    if view.required:
        verb = "请选择" if view.kind in ("select", "list") else "请填写"
        return None, f"{verb}{_label(view)}"
    if view.kind == "text" and not view.nullable:
        return "", _check_text(view, "")
    if view.nullable:
        return None, ""
    default = field.default
    return (default() if callable(default) else default), ""


def parse(form: type[T], raw: Mapping[str, Raw]) -> tuple[T | None, dict[str, str]]:
    """Check submitted values against ``form``: ``(form, {})`` or ``(None, {field: message})``.

    Each field is converted on its own (a message per bad field), then the Struct is built and its own
    ``problems()`` run; nothing is stored here.
    """
    values: dict[str, object] = {}
    errors: dict[str, str] = {}
    for field in _fields(form):
        name = field.view.name
        value = raw.get(name, "")
        if isinstance(value, str):
            value = value.strip()
        if value == "" or value == []:
            converted, message = _empty(field)
        else:
            converted, message = _convert(field, value)
        if message:
            errors[name] = message
        else:
            values[name] = converted
    if errors:
        return None, errors
    try:
        typed = msgspec.convert(values, form, strict=False)
    except msgspec.ValidationError:
        return None, {"_form": "表单内容不正确，请检查后重新提交"}
    problems = getattr(typed, "problems", None)
    if callable(problems):
        found = problems()
        if isinstance(found, dict) and found:
            return None, {str(k): str(v) for k, v in found.items()}
    return typed, {}


async def submitted(request: Request[Any, Any, Any]) -> dict[str, Raw]:
    """The request's form fields (text only; a repeated name gives a list), read once per request.

    Files are read with :func:`submitted_files` (from the same parsed body); the CSRF token is left out.
    """
    cached = request.scope.get("state", {}).get(SUBMITTED_KEY)
    if isinstance(cached, dict):
        return cached
    raw = await request.form()
    data: dict[str, Raw] = {}
    for key in raw:
        if key == "_csrf_token":
            continue
        texts = [value for value in raw.getall(key) if isinstance(value, str)]
        if texts:
            data[key] = texts[0] if len(texts) == 1 else texts
    request.scope.setdefault("state", {})[SUBMITTED_KEY] = data
    return data


async def submitted_files(request: Request[Any, Any, Any], name: str) -> list[UploadFile]:
    """The files posted under ``name`` (a file input; one left empty is left out), in order.

    The same body as :func:`submitted` (Litestar parses it once per request). Check each file's size and
    content with :func:`etax.platform.applications.uploads.check_upload` (``api.check_upload``): its
    :class:`~etax.platform.applications.uploads.UploadError` carries the Chinese reason — empty, over
    10MB, not an allowed type — before anything is stored. The route's ``request_max_body_size`` bounds
    the body (``api.upload_too_large`` answers beyond it).
    """
    raw = await request.form()
    return [item for item in raw.getall(name, []) if isinstance(item, UploadFile) and item.filename]


def submitted_text(data: Mapping[str, Raw], name: str, limit: int = 200) -> str:
    """One submitted value as typed (the first of several), at most ``limit`` characters."""
    value = data.get(name, "")
    text = value if isinstance(value, str) else (value[0] if value else "")
    return text[:limit]


def submitted_list(data: Mapping[str, Raw], name: str, limit: int = 300, count: int = 2000) -> list[str]:
    """A repeated field (a group of checkboxes) as a list of at most ``count`` texts."""
    value = data.get(name, [])
    items = [value] if isinstance(value, str) else value
    return [item[:limit] for item in items][:count]


async def submitted_values(
    request: Request[Any, Any, Any], names: tuple[str, ...] | list[str], limit: int = 20_000
) -> dict[str, str]:
    """The submitted text of ``names``, as typed, to show the form again after an error."""
    data = await submitted(request)
    return {name: submitted_text(data, name, limit) for name in names}


async def read_form(request: Request[Any, Any, Any], struct: type[T]) -> tuple[T | None, dict[str, str]]:
    """Parse the request's form into ``struct``; return ``(form, {})`` or ``(None, {field: message})``."""
    return parse(struct, await submitted(request))


def encode(form: msgspec.Struct) -> str:
    """The form as stored JSON (``Decimal`` as a string, dates ISO)."""
    return msgspec.json.encode(form).decode("utf-8")


def _display(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return f"{value.quantize(CENT):,}"
    if isinstance(value, enum.Enum):
        return str(value.value)
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
            return [
                (f.view.label or f.view.name, _display(getattr(typed, f.view.name))) for f in _fields(form)
            ]
    return [(str(key), "—" if value is None else str(value)) for key, value in data.items()]
