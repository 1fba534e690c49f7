// The Python half of adopt, run with python3 (standard library only: ast and json). "find" reads each
// file's syntax tree for prompts passed to the OpenAI and Anthropic SDKs and to LangChain templates;
// f-string fields {customer} become {{customer}}. "rewrite" splices replacements into a file at the
// offsets "find" gave (Python string offsets, so the TypeScript side never converts between encodings).
// Kept as a string so the bundled CLI carries it; spawned with a timeout (find-py.ts).
export const pyScript = String.raw`
import ast, json, sys

ROLES = {"system", "user", "assistant", "developer"}
LC_ROLES = {"system": "system", "human": "user", "user": "user", "ai": "assistant", "assistant": "assistant"}
LEFT = "not a literal or f-string (a variable holding text built elsewhere)"

def names(node):
    out = []
    def visit(n):
        if isinstance(n, ast.Attribute):
            visit(n.value)
            if n.attr not in out: out.append(n.attr)
            return
        if isinstance(n, ast.Name) and n.id not in out: out.append(n.id)
        for c in ast.iter_child_nodes(n): visit(c)
    visit(node)
    return out

def dotted(node):
    if isinstance(node, ast.Name): return [node.id]
    if isinstance(node, ast.Attribute):
        left = dotted(node.value)
        return left and left + [node.attr]
    return None

def callee(node):
    if isinstance(node, ast.Name): return [node.id]
    if isinstance(node, ast.Attribute): return callee(node.value) + [node.attr]
    return ["..."]

def classify(parts):
    last = parts[-1]
    tail = lambda *t: parts[-len(t):] == list(t)
    if last in ("create", "parse", "stream"):
        if tail("chat", "completions", last): return ["messages"], None
        if tail("responses", last): return ["instructions", "input"], None
        if tail("messages", last): return ["system", "messages"], None
    if tail("PromptTemplate", "from_template"): return ["template"], "text"
    if tail("ChatPromptTemplate", "from_messages"): return ["messages"], "chat"
    return None, None

class Vars:
    def __init__(self, src, annotations):
        self.src, self.ann, self.list, self.notes, self.placeholders = src, annotations, [], [], []
    def taken(self, n):
        return any(v["name"] == n for v in self.list) or any(p["name"] == n for p in self.placeholders)
    def unique(self, base):
        n, i = base, 2
        while self.taken(n):
            n, i = "%s_%d" % (base[:60], i), i + 1
        return n
    def of(self, node, placeholder=False):
        expr = ast.get_source_segment(self.src, node) or ""
        for v in self.list:
            if v["expr"] == expr: return v
        path = dotted(node)
        words = [w for w in (path or names(node)[:3]) if w != "self"]
        base = "_".join(words)[:64] or "value%d" % (len(self.list) + 1)
        if not (base[0].isalpha() or base[0] == "_"): base = "v_" + base[:60]
        if placeholder and not base[0].isalpha(): base = "m" + base[:63]
        name = self.unique(base)
        if placeholder:
            self.placeholders.append({"name": name, "expr": expr})
            return {"name": name}
        if path is None: self.notes.append("{%s} is not a plain name or attribute: it became {{%s}}" % (expr, name))
        # Only str and int render as f-strings do (True is "True" in Python, true in Lectern): the rest pass str(x).
        typ = self.ann.get(node.id) if isinstance(node, ast.Name) else None
        v = {"name": name, "type": "number" if typ == "int" else "string", "expr": expr, "stringify": typ not in ("str", "int")}
        self.list.append(v)
        return v
    def langchain(self, name):
        expr = json.dumps("{%s}" % name)
        for v in self.list:
            if v["expr"] == expr: return v
        v = {"name": self.unique(name), "type": "string", "expr": expr, "stringify": False}
        self.list.append(v)
        return v

def mustache(s): return "{{" in s or "}}" in s
MUST = "the text contains {{ or }}, which Lectern would read as a template tag"

def text_of(node, vars, lc=False):
    # LangChain's literal pieces are its own templates: their {x} become variables too.
    def piece(text):
        if lc: return from_fstring(text, vars)
        if mustache(text): raise ValueError(MUST)
        return text
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return piece(node.value)
    if isinstance(node, ast.JoinedStr):
        out = ""
        for part in node.values:
            if isinstance(part, ast.Constant):
                out += piece(part.value)
            else:
                if part.conversion != -1 or part.format_spec is not None:
                    raise ValueError("an f-string field with a conversion or format (!r, :.2f) cannot be adopted as it is")
                out += "{{%s}}" % vars.of(part.value)["name"]
        return out
    raise ValueError(LEFT)

def from_fstring(text, vars):
    out, i = "", 0
    if mustache(text): raise ValueError("the LangChain template has escaped braces ({{ or }}), which would not survive a round trip")
    while i < len(text):
        c = text[i]
        if c == "{":
            j = text.find("}", i)
            name = text[i + 1:j].strip() if j > 0 else ""
            if not name.isidentifier(): raise ValueError("the LangChain template has {%s}, which is not a plain variable" % name[:30])
            out += "{{%s}}" % vars.langchain(name)["name"]
            i = j
        else:
            out += c
        i += 1
    return out

def messages_of(node, vars, style):
    if not isinstance(node, (ast.List, ast.Tuple)): raise ValueError("not a list of messages written at the call (built elsewhere)")
    template, literal = [], False
    for i, el in enumerate(node.elts):
        at = "message %d" % (i + 1)
        if isinstance(el, ast.Starred):
            if not dotted(el.value): raise ValueError(at + " unpacks an expression that is not a plain name")
            template.append({"type": "placeholder", "name": vars.of(el.value, placeholder=True)["name"]})
            continue
        role = content = None
        if style == "chat" and isinstance(el, ast.Tuple) and len(el.elts) == 2 and isinstance(el.elts[0], ast.Constant):
            if el.elts[0].value == "placeholder" and isinstance(el.elts[1], ast.Constant):
                template.append({"type": "placeholder", "name": str(el.elts[1].value).strip("{}")})
                continue
            role, content = LC_ROLES.get(el.elts[0].value), el.elts[1]
        elif isinstance(el, ast.Dict):
            keys = [k.value if isinstance(k, ast.Constant) else None for k in el.keys]
            if sorted(k for k in keys if k) != ["content", "role"] or None in keys:
                raise ValueError(at + " has other fields than role and content")
            d = dict(zip(keys, el.values))
            r = d["role"]
            role = r.value if isinstance(r, ast.Constant) and r.value in ROLES else None
            content = d["content"]
        else:
            raise ValueError(at + " is not a {role, content} dict written at the call")
        if not role: raise ValueError(at + " has no role Lectern knows written as a string")
        if isinstance(content, (ast.Constant, ast.JoinedStr)):
            template.append({"role": role, "content": text_of(content, vars, style == "chat")})
            literal = True
        elif dotted(content) and style != "chat":
            v = vars.of(content)
            vars.notes.append("%s's content is the variable %s: it became {{%s}}" % (at, v["expr"], v["name"]))
            template.append({"role": role, "content": "{{%s}}" % v["name"]})
        else:
            raise ValueError(at + "'s content is not text written at the call")
    if not literal: raise ValueError("no text is written at the call: every message comes from variables")
    return template

def offsets(src):
    starts, pos = [0], 0
    for line in src.splitlines(keepends=True):
        pos += len(line)
        starts.append(pos)
    def at(lineno, col):
        line = src[starts[lineno - 1]:starts[lineno]]
        return starts[lineno - 1] + len(line.encode("utf-8")[:col].decode("utf-8", "replace"))
    return at

def find(path, rel):
    with open(path, encoding="utf-8", newline="") as f: src = f.read()  # newline="": offsets in the file's own text
    tree = ast.parse(src, filename=rel)
    at = offsets(src)
    found, left, parents = [], [], {}
    for p in ast.walk(tree):
        for c in ast.iter_child_nodes(p): parents[c] = p
    def enclosing(node):
        while node in parents:
            node = parents[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                ann = {a.arg: ast.get_source_segment(src, a.annotation) for a in node.args.args + node.args.kwonlyargs if a.annotation is not None}
                return node.name, ann
        return None, {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call): continue
        parts = callee(node.func)
        props, lc = classify(parts)
        if not props: continue
        fn, ann = enclosing(node)
        call = ".".join(parts)
        values = [(kw.arg, kw.value) for kw in node.keywords if kw.arg in props]
        if lc and node.args: values = [(props[0], node.args[0])]
        for prop, value in values:
            vars = Vars(src, ann)
            try:
                if prop == "messages" or (prop == "input" and isinstance(value, ast.List)):
                    kind, template = "chat", messages_of(value, vars, lc or "sdk")
                else:
                    kind, template = "text", text_of(value, vars, bool(lc))
            except ValueError as e:
                left.append({"file": rel, "line": value.lineno, "call": call, "property": prop, "reason": str(e)})
                continue
            found.append({"file": rel, "line": value.lineno, "call": call, "property": prop, "fn": fn, "type": kind,
                "template": template, "variables": vars.list, "placeholders": vars.placeholders, "notes": vars.notes,
                "start": at(value.lineno, value.col_offset), "end": at(value.end_lineno, value.end_col_offset),
                "source": ast.get_source_segment(src, value),
                "callAt": at(node.lineno, node.col_offset), "language": "py", "langchain": bool(lc)})
    return found, left

def main():
    req = json.load(sys.stdin)
    if req["mode"] == "find":
        out = {"found": [], "leftAlone": [], "skipped": []}
        for path, rel in req["files"]:
            try:
                f, l = find(path, rel)
                out["found"] += f
                out["leftAlone"] += l
            except UnicodeDecodeError:
                out["skipped"].append({"file": rel, "reason": "not valid UTF-8: left as it is (lectern reads and writes UTF-8 only, and never re-encodes a file)"})
            except (SyntaxError, ValueError, RecursionError) as e:
                out["skipped"].append({"file": rel, "reason": "not readable as Python (%s)" % type(e).__name__})
        json.dump(out, sys.stdout)
        return
    src = req["src"]
    if any(src[s["start"]:s["end"]] != s["source"] for s in req["sites"]):
        json.dump({"changed": True}, sys.stdout)
        return
    for s in sorted(req["sites"], key=lambda s: -s["start"]):
        src = src[:s["start"]] + s["text"] + src[s["end"]:]
    tree = ast.parse(src)
    imports = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    lines = src.splitlines(keepends=True)
    after = imports[-1].end_lineno if imports else 0
    if not imports and tree.body and isinstance(tree.body[0], ast.Expr) and isinstance(getattr(tree.body[0], "value", None), ast.Constant):
        after = tree.body[0].end_lineno
    head = "".join(lines[:after])
    if head and not head.endswith("\n"): head += "\n"
    json.dump({"text": head + req["header"] + "".join(lines[after:])}, sys.stdout)

main()
`;
