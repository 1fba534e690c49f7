"""Rendering a prompt as the server's renderContent does (lib/registry/templates/template.ts): the partial graph
is checked first (missing, cycles, depth, size), then variables (defaults, strict types, chat
placeholders), then Mustache runs. Errors carry the server's code, message and details."""

from ._images import image_url_problem
from ._jsvalues import describe_type, is_json_value, utf16_len
from ._mustache import Budget, render_text
from ._parse import TemplateSyntaxError, template_uses
from .errors import LecternError, lectern_error

MAX_PARTIAL_DEPTH = 8
MAX_EXPANDED_CHARS = 1_000_000
MESSAGE_ROLES = ("system", "user", "assistant", "developer", "tool")
_ROOT = "(this prompt)"


def _unprocessable(message, details):
    return lectern_error("unprocessable", message, 422, details)


def _ref_name(ref):
    return ref.split("|", 1)[0]


def walk_partials(root, node_of, max_depth=MAX_PARTIAL_DEPTH, max_chars=MAX_EXPANDED_CHARS):
    """Depth-first from root, failing on a cycle, a chain deeper than max_depth, or an expansion past max_chars."""
    longest, expanded = {}, {}

    def too_deep(chain):
        return _unprocessable(
            "Partials nest deeper than %d levels: %s" % (max_depth, " → ".join(chain)),
            {"chain": chain, "maxDepth": max_depth},
        )

    def visit(name, path):
        known = longest.get(name)
        if known:
            if len(path) + len(known) - 1 > max_depth:
                raise too_deep(path + known)
            return known
        seen_at = path.index(name) if name in path else -1
        if seen_at < 0 and path and name != path[0] and _ref_name(name) == _ref_name(path[0]):
            seen_at = 0
        if seen_at >= 0:
            cycle = path[seen_at:] + [name]
            raise _unprocessable("Partial cycle: " + " → ".join(cycle), {"cycle": cycle})
        if len(path) > max_depth:
            raise too_deep(path + [name])
        node = node_of(name)
        below = []
        size = node[0] if node else 0
        for child in node[1] if node else []:
            chain = visit(child, path + [name])
            if len(chain) > len(below):
                below = chain
            size += expanded.get(child, 0)
            if size > max_chars:
                raise _unprocessable(
                    "Partials expand %s to more than %s characters (%s includes %s %d times). "
                    "Include large or repeated text fewer times."
                    % ("this prompt" if name == root else name, "{:,}".format(max_chars), name, child, node[1].count(child)),
                    {"partial": name, "include": child, "maxExpandedChars": max_chars},
                )
        chain = [name] + below
        longest[name] = chain
        expanded[name] = size
        return chain

    visit(root, [])
    return expanded.get(root, 0)


def template_pieces(content):
    """(text, field) for each templated string: the text, or each message of a chat prompt."""
    if content["type"] == "text":
        return [(content["template"], "template")]
    pieces = []
    for i, m in enumerate(content["template"]):
        if m.get("type") == "placeholder":
            continue
        if isinstance(m["content"], str):
            pieces.append((m["content"], "template.messages[%d]" % i))
        else:  # a message of parts: each text part is a template of its own; images hold none
            for j, p in enumerate(m["content"]):
                if p["type"] == "text":
                    pieces.append((p["text"], "template.messages[%d].content[%d]" % (i, j)))
    return pieces


def check_partial_map(content, partials):
    """Every partial present, no cycles, bounded depth and size (before Mustache does the work)."""
    pieces = template_pieces(content)
    root_node = (sum(utf16_len(t) for t, _ in pieces), [p for t, f in pieces for p in template_uses(t, f)[1]])

    def node_of(name):
        if name == _ROOT:
            return root_node
        if name not in partials:
            raise _unprocessable("Partial %s does not exist or is not deployed" % name, {"partial": name})
        text = partials[name]
        return (utf16_len(text), template_uses(text, "partials." + name)[1])

    walk_partials(_ROOT, node_of)


def _matches(kind, value):
    if kind == "string":
        return isinstance(value, str)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and is_json_value(value)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "image":
        return isinstance(value, str) and image_url_problem(value) is None
    return is_json_value(value)


def _got(kind, value):
    if kind == "image" and isinstance(value, str):
        return "a string that is not an image (%s)" % image_url_problem(value)
    return describe_type(value)


_EXPECTED = {"messages": "a list of messages", "image": "an image"}


def coerce_variables(variables, values):
    """(values with defaults, missing names, invalid {name, expected, got}) — strict: "3" is not a number."""
    out, missing, invalid = {}, [], []
    for v in variables:
        name = v["name"]
        if name in values:
            value = values[name]
            if _matches(v.get("type", "string"), value):
                out[name] = value
            else:
                invalid.append({"name": name, "expected": v.get("type", "string"), "got": _got(v.get("type"), value)})
        elif "default" in v:
            out[name] = v["default"]
        elif v.get("required", True):
            missing.append(name)
    return out, missing, invalid


def _is_message(m):
    return isinstance(m, dict) and m.get("role") in MESSAGE_ROLES and isinstance(m.get("content"), str)


def placeholder_values(content, values):
    """The messages given for a chat prompt's placeholders; they are data, never templates."""
    messages, missing, invalid = {}, [], []
    if content["type"] != "chat":
        return messages, missing, invalid
    names = []
    for m in content["template"]:
        if m.get("type") == "placeholder" and m["name"] not in names:
            names.append(m["name"])
    for name in names:
        if name not in values:
            missing.append(name)
            continue
        value = values[name]
        if not isinstance(value, (list, tuple)) or not all(_is_message(m) for m in value):
            got = (
                "a list with an item that is not a {role, content} message"
                if isinstance(value, (list, tuple))
                else describe_type(value)
            )
            invalid.append({"name": name, "expected": "messages", "got": got})
        else:
            messages[name] = [{"role": m["role"], "content": m["content"]} for m in value]
    return messages, missing, invalid


def effective_variables(own, declared):
    """The content's declaration wins over a partial's; among partials, the first one wins."""
    by_name = {}
    for v in list(own) + [v for vs in declared.values() for v in vs]:
        by_name.setdefault(v["name"], v)
    return list(by_name.values())


class Compiled:
    """What a prompt's renders share: the partial check (done once), the merged variables, parsed texts."""

    def __init__(self, content, partials=None, declared=None):
        self.content = content
        self.partials = partials or {}
        self.variables = effective_variables(content["variables"], declared or {})
        self.tokens = {}  # text → tokens, filled by the first render
        try:
            check_partial_map(content, self.partials)
            self.problem = None
        except LecternError as e:
            self.problem = e

    def render(self, values):
        if self.problem is not None:
            p = self.problem
            raise lectern_error(p.code, p.message, p.status, p.details)
        content = self.content
        view, missing, invalid = coerce_variables(self.variables, values)
        slots, slot_missing, slot_invalid = placeholder_values(content, values)
        missing = missing + slot_missing
        if missing:
            hint = (
                " (%s: a placeholder, give a list of messages, [] for none)" % ", ".join(slot_missing)
                if slot_missing
                else ""
            )
            message = "Missing required variables: %s%s" % (", ".join(missing), hint)
            raise lectern_error("missing_variables", message, 422, {"missing": missing})
        invalid = invalid + slot_invalid
        if invalid:
            listed = "; ".join(
                "%s must be %s, got %s"
                % (i["name"], _EXPECTED.get(i["expected"], i["expected"]), i["got"])
                for i in invalid
            )
            raise lectern_error("invalid_variables", "Invalid variables: " + listed, 422, {"invalid": invalid})

        budget = Budget()  # one bound for all the pieces of this content
        partial = self.partials.get

        def render(text, field):
            try:
                return render_text(text, view, partial, budget, self.tokens)
            except LecternError:
                raise
            except (TemplateSyntaxError, RecursionError) as e:
                raise _unprocessable("Template does not render: %s" % e, {"field": field}) from None

        if content["type"] == "text":
            return render(content["template"], "template")
        out = []
        for i, m in enumerate(content["template"]):
            if m.get("type") == "placeholder":
                out.extend(slots[m["name"]])
            elif isinstance(m["content"], str):
                out.append({"role": m["role"], "content": render(m["content"], "template.messages[%d]" % i)})
            else:
                out.append({"role": m["role"], "content": self._parts(m["content"], view, render, i)})
        return out

    @staticmethod
    def _parts(parts, view, render, i):
        """Text parts rendered; an image variable's value put in, its part dropped when it has none."""
        out = []
        for j, p in enumerate(parts):
            if p["type"] == "text":
                out.append({"type": "text", "text": render(p["text"], "template.messages[%d].content[%d]" % (i, j))})
            elif "variable" not in p:
                out.append({"type": "image", "url": p["url"]})
            elif isinstance(view.get(p["variable"]), str):
                out.append({"type": "image", "url": view[p["variable"]]})
        return out


def render_content(content, values, partials=None, declared=None):
    """Renders content ({type, template, variables}) with the caller's values, as the server does."""
    return Compiled(content, partials, declared).render(values)


def fallback_content(fallback):
    """A hard-coded fallback as content; a bare template's variables are taken from it, all optional."""
    f = {"type": "text", "template": fallback} if isinstance(fallback, str) else dict(fallback)
    if f.get("type") not in ("text", "chat"):
        raise LecternError('fallback type must be "text" or "chat"', code="invalid_input")
    if f.get("variables"):
        variables = [dict({"type": "string", "required": True}, **v) for v in f["variables"]]
    else:
        texts = [t for t, _ in template_pieces(f)]
        names = []
        for t in texts:
            uses = template_uses(t, "fallback")[0]
            # As analyzeTemplate lists them: names used outside sections first, then the others.
            for name, sections in sorted(uses, key=lambda u: 1 if u[1] else 0):
                if name not in names:
                    names.append(name)
        variables = [{"name": n, "type": "json", "required": False} for n in names]
        for m in f["template"] if f["type"] == "chat" else []:
            for p in m.get("content") if isinstance(m.get("content"), list) else []:
                if "variable" in p and all(v["name"] != p["variable"] for v in variables):
                    variables.append({"name": p["variable"], "type": "image", "required": False})
    return {"type": f["type"], "template": f["template"], "variables": variables, "config": f.get("config") or {}}
