"""Mustache templates parsed as mustache.js parses them (a port of its parseTemplate: standalone lines,
partial indentation, its error messages), and the checks the server runs on a template."""

import re

from .errors import LecternError

# JavaScript's \s, which differs from Python's (no \x1c-\x1f or \x85; \ufeff is one).
_WS = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_OPEN = re.compile(r"\{\{[" + _WS + "]*")
_CLOSE = re.compile("[" + _WS + r"]*\}\}")
_CLOSE_CURLY = re.compile("[" + _WS + r"]*\}\}\}")
_CURLY = re.compile("[" + _WS + r"]*\}")
_EQUALS = re.compile("[" + _WS + "]*=")
_WHITE = re.compile("[" + _WS + "]*")
_TAG = re.compile(r"#|\^|/|>|\{|&|=|!")



class TemplateSyntaxError(Exception):
    """mustache.js's parse errors, with its wording ("Unclosed tag at 12") and where, when known."""

    def __init__(self, reason, offset=None):
        super().__init__(reason)
        self.reason = reason
        self.offset = offset


def _is_ws(ch):
    return ch in "\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff" or "\u2000" <= ch <= "\u200a"


class _Scanner:
    def __init__(self, text):
        self.text = text
        self.pos = 0

    def eos(self):
        return self.pos >= len(self.text)

    def scan(self, pattern):
        m = pattern.match(self.text, self.pos)
        if not m or not m.group(0):
            return ""
        self.pos = m.end()
        return m.group(0)

    def scan_until(self, pattern):
        m = pattern.search(self.text, self.pos)
        end = m.start() if m else len(self.text)
        out = self.text[self.pos : end]
        self.pos = end
        return out


def _compile_tags(spec):
    """mustache.js's compileTags for a {{=open close=}} tag (only to parse on as mustache.js would)."""
    parts = [p for p in re.split("[" + _WS + "]+", spec)][:2] if spec else [""]
    if len(parts) != 2:
        raise TemplateSyntaxError("Invalid tags: " + ",".join(parts))
    o, c = re.escape(parts[0]), re.escape(parts[1])
    ws = "[" + _WS + "]*"
    return re.compile(o + ws), re.compile(ws + c), re.compile(ws + re.escape("}" + parts[1]))


def parse(template):
    """Tokens as mustache.js makes them: [type, value, start, end, children|indentation, ...]."""
    if not template:
        return []
    line_has_non_space = False
    sections, tokens, spaces = [], [], []
    state = {"has_tag": False, "non_space": False}
    indentation = ""
    tag_index = 0
    opening, closing, closing_curly = _OPEN, _CLOSE, _CLOSE_CURLY

    def strip_space():
        if state["has_tag"] and not state["non_space"]:
            while spaces:
                tokens[spaces.pop()] = None
        else:
            del spaces[:]
        state["has_tag"] = False
        state["non_space"] = False

    scanner = _Scanner(template)
    while not scanner.eos():
        start = scanner.pos
        value = scanner.scan_until(opening)
        for ch in value:
            if _is_ws(ch):
                spaces.append(len(tokens))
                indentation += ch
            else:
                state["non_space"] = True
                line_has_non_space = True
                indentation += " "
            tokens.append(["text", ch, start, start + 1])
            start += 1
            if ch == "\n":
                strip_space()
                indentation = ""
                tag_index = 0
                line_has_non_space = False
        if not scanner.scan(opening):
            break
        state["has_tag"] = True
        kind = scanner.scan(_TAG) or "name"
        scanner.scan(_WHITE)
        if kind == "=":
            value = scanner.scan_until(_EQUALS)
            scanner.scan(_EQUALS)
            scanner.scan_until(closing)
        elif kind == "{":
            value = scanner.scan_until(closing_curly)
            scanner.scan(_CURLY)
            scanner.scan_until(closing)
            kind = "&"
        else:
            value = scanner.scan_until(closing)
        if not scanner.scan(closing):
            raise TemplateSyntaxError("Unclosed tag at %d" % scanner.pos, scanner.pos)
        if kind == ">":
            token = [kind, value, start, scanner.pos, indentation, tag_index, line_has_non_space]
        else:
            token = [kind, value, start, scanner.pos]
        tag_index += 1
        tokens.append(token)
        if kind in ("#", "^"):
            sections.append(token)
        elif kind == "/":
            if not sections:
                raise TemplateSyntaxError('Unopened section "%s" at %d' % (value, start), start)
            opened = sections.pop()
            if opened[1] != value:
                raise TemplateSyntaxError('Unclosed section "%s" at %d' % (opened[1], start), start)
        elif kind in ("name", "&"):
            state["non_space"] = True
        elif kind == "=":
            opening, closing, closing_curly = _compile_tags(value)
    strip_space()
    if sections:
        raise TemplateSyntaxError('Unclosed section "%s" at %d' % (sections[-1][1], scanner.pos), scanner.pos)
    return _nest(_squash(tokens))


def _squash(tokens):
    out = []
    last = None
    for t in tokens:
        if t is None:
            continue
        if t[0] == "text" and last is not None and last[0] == "text":
            last[1] += t[1]
            last[3] = t[3]
        else:
            out.append(t)
            last = t
    return out


def _nest(tokens):
    nested = []
    collector = nested
    sections = []
    for t in tokens:
        if t[0] in ("#", "^"):
            collector.append(t)
            sections.append(t)
            t.append([])
            collector = t[4]
        elif t[0] == "/":
            section = sections.pop()
            section.append(t[2])
            collector = sections[-1][4] if sections else nested
        else:
            collector.append(t)
    return nested


def _line_column(text, offset):
    before = text[: max(0, min(offset, len(text)))]
    lines = before.split("\n")
    return {"line": len(lines), "column": len(lines[-1]) + 1}


def _parse_error(text, field, reason, offset):
    details = {"field": field}
    if offset is not None:
        details.update(_line_column(text, offset))
    return LecternError("Template does not parse: " + reason, code="invalid_input", status=400, details=details)


def _first_delimiter_change(tokens):
    for t in tokens:
        if t[0] == "=":
            return t
        if t[0] in ("#", "^"):
            found = _first_delimiter_change(t[4])
            if found:
                return found
    return None


def parse_template(text, field="template"):
    """Tokenizes a template as the server checks it: invalid_input with field, line and column on an error."""
    try:
        tokens = parse(text)
    except TemplateSyntaxError as e:
        raise _parse_error(text, field, e.reason, e.offset) from None
    change = _first_delimiter_change(tokens)
    if change:
        raise _parse_error(text, field, "changing delimiters with {{=…=}} is not supported", change[2])
    return tokens


def template_uses(text, field="template"):
    """(variable uses as (name, enclosing sections), partial references, section names) of a text."""
    uses, partials, sections = [], [], []

    def walk(tokens, enclosing):
        for t in tokens:
            kind, value = t[0], t[1]
            name = None if value == "" or value.startswith(".") else value.split(".")[0]
            if kind == ">":
                partials.append(value)
                continue
            if kind not in ("name", "&", "#", "^"):
                continue
            if name is not None:
                uses.append((name, enclosing))
            if kind in ("#", "^"):
                if name is not None:
                    sections.append(name)
                walk(t[4], enclosing + [name or "."] if kind == "#" else enclosing)

    walk(parse_template(text, field), [])
    return uses, partials, sections
