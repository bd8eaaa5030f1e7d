"""Liquid's math filters with Ruby numbers: liquid-5.4.0 ``lib/liquid/utils.rb``
(``to_number``, ``to_integer``) and ``standardfilters.rb`` (``apply_operation``, ``round``,
``ceil``, ``floor``, ``abs``, ``at_least``, ``at_most``). A Float goes through BigDecimal
(here Decimal) of its ``to_s``, Integer division floors, results that were BigDecimal
come back as Float."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from epilint.feed.errors import FilterError
from epilint.feed.values import ruby_float, to_s

_DECIMAL = re.compile(r"\A-?\d+\.\d+\Z")
_INTEGER_PREFIX = re.compile(r"\A\s*[-+]?\d+")


def ruby_to_i(text: str) -> int:
    """``String#to_i``: the leading integer (underscores between digits allowed), else 0."""
    match = re.match(r"\s*([-+]?\d+(?:_\d+)*)", text)
    return int(match.group(1).replace("_", "")) if match else 0


def to_number(value: object) -> int | Decimal:
    if isinstance(value, bool):
        return 0
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise FilterError("float is not a finite number")
        return Decimal(ruby_float(value))
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        stripped = value.strip()
        if _DECIMAL.match(stripped):
            return Decimal(stripped)
        return ruby_to_i(value)
    return 0


def _number_out(value: int | Decimal) -> object:
    return float(value) if isinstance(value, Decimal) else value


def operate(value: object, operand: object, op: str) -> object:
    left, right = to_number(value), to_number(operand)
    try:
        if op == "+":
            return _number_out(left + right)
        if op == "-":
            return _number_out(left - right)
        if op == "*":
            return _number_out(left * right)
        if op == "/":
            if right == 0:
                if isinstance(left, int) and isinstance(right, int):
                    raise FilterError("divided by 0")
                if isinstance(right, Decimal) or isinstance(left, Decimal):
                    raise FilterError("divided by 0")
            if isinstance(left, int) and isinstance(right, int):
                return left // right
            return _number_out(Decimal(left) / Decimal(right))
        if op == "%":
            if right == 0:
                raise FilterError("divided by 0")
            if isinstance(left, int) and isinstance(right, int):
                return left % right
            result = Decimal(left) % Decimal(right)
            if result != 0 and (result < 0) != (Decimal(right) < 0):
                result += Decimal(right)
            return _number_out(result)
    except InvalidOperation as exc:
        raise FilterError(str(exc)) from exc
    raise FilterError(op)


def f_round(value: object, digits: object = 0) -> object:
    number = to_number(value)
    places = to_number(digits)
    places_int = int(places)
    if isinstance(number, int):
        if places_int >= 0:
            return number
        factor = 10 ** (-places_int)
        return int((Decimal(number) / factor).quantize(Decimal(1), ROUND_HALF_UP) * factor)
    quantum = Decimal(1).scaleb(-places_int)
    result = number.quantize(quantum, ROUND_HALF_UP)
    return int(result) if places_int == 0 else float(result)


def f_ceil(value: object) -> object:
    return math.ceil(to_number(value))


def f_floor(value: object) -> object:
    return math.floor(to_number(value))


def f_abs(value: object) -> object:
    number = to_number(value)
    return _number_out(-number if number < 0 else number)


def f_at_least(value: object, other: object) -> object:
    a, b = to_number(value), to_number(other)
    return _number_out(b if b > a else a)


def f_at_most(value: object, other: object) -> object:
    a, b = to_number(value), to_number(other)
    return _number_out(b if b < a else a)


def to_integer(value: object) -> int:
    """liquid/utils.rb ``to_integer``: Integers as is, else ``Integer(obj.to_s)``."""
    if isinstance(value, bool):
        raise FilterError("invalid integer")
    if isinstance(value, int):
        return value
    try:
        return int(to_s(value).strip())
    except ValueError as exc:
        raise FilterError("invalid integer") from exc
