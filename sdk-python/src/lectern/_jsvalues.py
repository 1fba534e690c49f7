"""JavaScript's view of JSON values, so a prompt renders to the same characters as on the server.

The server renders with mustache.js: numbers print as JavaScript prints them (``1`` not ``1.0``,
``1e+21``), booleans as ``true``/``false``, objects and lists as ``JSON.stringify`` writes them, and
lengths count UTF-16 code units.
"""

import json
import math
from decimal import Decimal

_MAX_INDEX = 2**32 - 2


def utf16_len(s):
    """The length JavaScript reports for a string (characters outside the BMP count twice)."""
    n = len(s)
    if s.isascii():
        return n
    return n + sum(1 for c in s if ord(c) > 0xFFFF)


def js_number(x):
    """``String(x)`` for a JavaScript number."""
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, int) and abs(x) <= 2**53:
        return str(x)
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    # repr gives the shortest digits that round-trip, as JavaScript does; only the layout differs.
    _, digits, exponent = Decimal(repr(abs(x))).as_tuple()
    d = "".join(str(c) for c in digits).rstrip("0")
    exponent += len(digits) - len(d)
    k = len(d)
    n = exponent + k
    if k <= n <= 21:
        out = d + "0" * (n - k)
    elif 0 < n <= 21:
        out = d[:n] + "." + d[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + d
    else:
        e = n - 1
        mantissa = d if k == 1 else d[0] + "." + d[1:]
        out = mantissa + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + out


def _is_index(key):
    return key.isdigit() and (key == "0" or key[0] != "0") and int(key) <= _MAX_INDEX


def js_keys(obj):
    """An object's keys in JavaScript's order: array-index keys first, ascending, then the others."""
    keys = list(obj.keys())
    if not any(_is_index(k) for k in keys):
        return keys
    return sorted((k for k in keys if _is_index(k)), key=int) + [k for k in keys if not _is_index(k)]


def json_stringify(value):
    """``JSON.stringify(value)`` for a JSON value (compact, JavaScript number formatting)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return "null"
        return js_number(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(json_stringify(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(json.dumps(k, ensure_ascii=False) + ":" + json_stringify(value[k]) for k in js_keys(value)) + "}"
    raise TypeError("not a JSON value: %r" % (value,))


def stringify_value(value):
    """How a value prints in a template: strings as they are, objects and lists as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list, tuple)):
        return json_stringify(value)
    if value is None:
        return "null"
    return js_number(value)


def truthy(value):
    """JavaScript truthiness: empty lists and objects are true; 0, "", null, false and NaN are not."""
    if value is None or value is False:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value == value and value != 0
    if isinstance(value, str):
        return value != ""
    return True


def is_json_value(value, _seen=None):
    """Whether a value survives JSON unchanged: no NaN or infinities, no other types, no cycles."""
    if value is None or isinstance(value, (str, bool)):
        return True
    if isinstance(value, (int, float)):
        return math.isfinite(value)
    if isinstance(value, (list, tuple, dict)):
        seen = _seen if _seen is not None else set()
        if id(value) in seen:
            return False
        seen.add(id(value))
        if isinstance(value, dict):
            ok = all(isinstance(k, str) for k in value) and all(is_json_value(v, seen) for v in value.values())
        else:
            ok = all(is_json_value(v, seen) for v in value)
        seen.discard(id(value))
        return ok
    return False


def describe_type(value):
    """A word for what a value is, as the server writes it ("got string")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, (int, float)):
        return js_number(value) if isinstance(value, float) and not math.isfinite(value) else "number"
    if isinstance(value, str):
        return "string"
    return "object"


def js_get(obj, key, primitive_ok):
    """``obj[key]`` with whether the property exists (``key in obj``), for mustache lookups.

    Objects and lists are JavaScript objects; a string's own properties (``length``, indices) count
    only where mustache.js accepts primitives (the last step of a dotted name).
    """
    if isinstance(obj, dict):
        return (True, obj[key]) if key in obj else (False, None)
    if isinstance(obj, (list, tuple)):
        if key == "length":
            return True, len(obj)
        if _is_index(key) and int(key) < len(obj):
            return True, obj[int(key)]
        return False, None
    if isinstance(obj, str):
        units = obj.encode("utf-16-le")
        if key == "length":
            return primitive_ok, len(units) // 2
        if _is_index(key) and int(key) < len(units) // 2:
            i = int(key)
            return primitive_ok, units[2 * i : 2 * i + 2].decode("utf-16-le", "surrogatepass")
    return False, None
