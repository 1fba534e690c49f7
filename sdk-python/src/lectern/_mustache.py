"""Mustache as the Lectern server runs it (mustache.js with HTML escaping off, default delimiters).

A line-for-line port of the parts of mustache.js the server uses, so that whitespace handling
(standalone tags, partial indentation), lookups and section truthiness match character for
character, plus Lectern's own rules: a standalone partial keeps its line break, and every render is
bounded in output size and work.
"""

import re

from ._jsvalues import js_get, stringify_value, truthy, utf16_len
from ._parse import parse
from .errors import LecternError

MAX_RENDERED_CHARS = 2_000_000
MAX_RENDER_STEPS = 1_000_000

_STANDALONE_REST = re.compile(r"[ \t]*(\r?\n|\Z)")
_NEWLINE = re.compile(r"\r?\n")


class _Context:
    __slots__ = ("view", "parent")

    def __init__(self, view, parent=None):
        self.view = view
        self.parent = parent

    def lookup(self, name):
        if name == ".":
            return self.view
        context = self
        while context is not None:
            if name.find(".") > 0:
                value = context.view
                names = name.split(".")
                hit = False
                for i, part in enumerate(names):
                    if value is None:
                        break
                    has, value = js_get(value, part, True)
                    if i == len(names) - 1:
                        hit = has
            else:
                hit, value = js_get(context.view, name, False)
            if hit:
                return value
            context = context.parent
        return None


class Budget:
    """One bound for all the pieces of a render (the messages of a chat prompt together)."""

    __slots__ = ("chars", "steps")

    def __init__(self):
        self.chars = 0
        self.steps = 0

    def spend(self, chars, steps):
        self.chars += chars
        self.steps += steps
        if self.chars > MAX_RENDERED_CHARS:
            raise LecternError(
                "The rendered prompt would be longer than {:,} characters; check sections that repeat over long lists.".format(
                    MAX_RENDERED_CHARS
                ),
                code="unprocessable",
                details={"maxRenderedChars": MAX_RENDERED_CHARS},
            )
        if self.steps > MAX_RENDER_STEPS:
            raise LecternError(
                "Rendering takes more than {:,} steps; check nested sections that repeat over long lists.".format(
                    MAX_RENDER_STEPS
                ),
                code="unprocessable",
                details={"maxRenderSteps": MAX_RENDER_STEPS},
            )


class _Writer:
    def __init__(self, partial, budget, cache):
        self.partial = partial
        self.budget = budget
        self.cache = cache

    def parse(self, text):
        tokens = self.cache.get(text)
        if tokens is None:
            tokens = self.cache[text] = parse(text)
        return tokens

    def tokens(self, tokens, context, source):
        self.budget.spend(0, 1)
        out = []
        for t in tokens:
            kind = t[0]
            value = None
            if kind == "#":
                value = self.section(t, context, source)
            elif kind == "^":
                v = context.lookup(t[1])
                if not truthy(v) or (isinstance(v, (list, tuple)) and len(v) == 0):
                    value = self.tokens(t[4], context, source)
            elif kind == ">":
                value = self.render_partial(t, context, source)
            elif kind in ("&", "name"):
                v = context.lookup(t[1])
                value = "" if v is None else stringify_value(v)
                self.budget.spend(utf16_len(value), 0)
            elif kind == "text":
                value = t[1]
                self.budget.spend(utf16_len(value), 0)
            if value is not None:
                out.append(value)
        return "".join(out)

    def section(self, t, context, source):
        value = context.lookup(t[1])
        if not truthy(value):
            return None
        if isinstance(value, (list, tuple)):
            return "".join(self.tokens(t[4], _Context(item, context), source) for item in value)
        if isinstance(value, (dict, str, int, float)) and not isinstance(value, bool):
            return self.tokens(t[4], _Context(value, context), source)
        return self.tokens(t[4], context, source)

    def render_partial(self, t, context, source):
        text = self.partial(t[1])
        if text is None:
            return None
        # A partial alone on its line replaces the line, newline included (the Mustache spec); prompt
        # texts rarely end with one, so Lectern adds it rather than glue the partial to the next line.
        rest = source[t[3] :]
        if not t[6] and _STANDALONE_REST.match(rest) and not text.endswith("\n") and _NEWLINE.search(rest):
            text += "\n"
        if t[5] == 0 and t[4]:
            text = _indent(text, t[4], t[6])
        return self.tokens(self.parse(text), context, text)


def _indent(partial, indentation, line_has_non_space):
    pad = re.sub(r"[^ \t]", "", indentation)
    lines = partial.split("\n")
    for i, line in enumerate(lines):
        if line and (i > 0 or not line_has_non_space):
            lines[i] = pad + line
    return "\n".join(lines)


def render_text(text, view, partial, budget=None, cache=None):
    """Renders one template text; ``partial(name)`` returns a partial's text or None.

    ``cache`` (text → tokens) lets a compiled prompt tokenize each text once.
    """
    writer = _Writer(partial, budget or Budget(), cache if cache is not None else {})
    return writer.tokens(writer.parse(text), _Context(view), text)
