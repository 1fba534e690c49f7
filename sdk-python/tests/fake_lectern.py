"""A small local stand-in for Lectern's runtime API: resolve (with ETags), the events stream and event posts."""

import hashlib
import json
import queue
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KEY = "lk_test_runtime"


def resolved(name, version, template, environment="production", variables=None, **extra):
    body = {
        "name": name,
        "version": version,
        "environment": environment,
        "type": "text" if isinstance(template, str) else "chat",
        "template": template,
        "variables": variables if variables is not None else [{"name": "name", "type": "string", "required": True}],
        "config": {"model": "m"},
        "partials": {},
        "experiment": None,
        "subject": None,
        "liveSince": None,
        "resolvedAt": "2026-01-01T00:00:00.000Z",
    }
    body.update(extra)
    return body


def bucket(subject):
    """The fake's own split of subjects, in [0, 1): stable per subject, as Lectern's hash is."""
    return int.from_bytes(hashlib.sha256(subject.encode()).digest()[:4], "big") / 2**32


class FakeLectern:
    def __init__(self):
        self.prompts = {}  # (environment, name) → resolve body
        self.requests = []  # (method, path, headers) of every request
        self.posted = []  # bodies of POST /api/v1/events
        self.event_status = [202]  # statuses to answer event posts with, the last one repeating
        self.fail_resolve = None  # a status to answer resolve requests with, when set
        self.streams = []  # one queue per open events stream
        self.stream_opened = threading.Event()
        # Cleared by a test that needs the stream's first bytes (the client's "connected") held back until it sets it.
        self.release_stream = threading.Event()
        self.release_stream.set()
        # A test's own answer to resolve requests (a hostile or broken server), when set: a function of the handler.
        # Bundles the fake resolves: name → member names (their answers come from `prompts`).
        self.bundles = {}
        # A bundle's guarded rollout: name → {"id", "share", "fresh": {member: its new answer}}; a subject whose
        # bucket() is below share gets every member's fresh answer (arm "new"), any other the live one.
        self.bundle_rollouts = {}
        self.hostile = None
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                fake.record(self)
                if self.headers.get("authorization") != "Bearer " + KEY:
                    return self.reply(401, {"error": {"code": "unauthorized", "message": "Unknown API key"}})
                url = urllib.parse.urlparse(self.path)
                if url.path == "/api/v1/events":
                    return fake.stream(self)
                if url.path.startswith("/api/v1/bundles/") and url.path.endswith("/resolve"):
                    return fake.bundle(self, url)
                if url.path != "/api/v1/prompts/resolve":
                    return self.reply(404, {"error": {"code": "not_found", "message": "No route"}})
                if fake.hostile:
                    return fake.hostile(self)
                if fake.fail_resolve:
                    return self.reply(fake.fail_resolve, {"error": {"code": "unavailable", "message": "Down"}})
                q = dict(urllib.parse.parse_qsl(url.query))
                body = fake.prompts.get((q.get("environment"), q.get("name")))
                if body is None:
                    message = "Prompt %s does not exist" % q.get("name")
                    return self.reply(404, {"error": {"code": "not_found", "message": message}})
                body = dict(body, subject=q.get("subject"))
                # Like Lectern's, the ETag covers the whole answer (a new partial changes it too).
                etag = '"%s"' % hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
                if self.headers.get("if-none-match") == etag:
                    return self.reply(304, None, {"etag": etag})
                self.reply(200, body, {"etag": etag})

            def do_POST(self):
                fake.record(self)
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length))
                if urllib.parse.urlparse(self.path).path == "/api/v1/prompts/resolve":
                    return fake.batch(self, body)
                with fake.lock:
                    fake.posted.append(body)
                    status = fake.event_status.pop(0) if len(fake.event_status) > 1 else fake.event_status[0]
                if status == 422:
                    problems = [
                        {"index": i, "field": "type", "message": "unknown type"}
                        for i, e in enumerate(body["events"])
                        if e["type"] == "bogus"
                    ]
                    return self.reply(422, {"error": {"code": "invalid_input", "message": "Bad events", "details": {"problems": problems}}})
                self.reply(status, {"accepted": len(body["events"])} if status == 202 else {"error": {"code": "unavailable", "message": "later"}})

            def reply(self, status, body, headers=None):
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                if body is not None:
                    self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def bundle(self, handler, url):
        """A bundle's resolve: every member as served, or with a subject its side of the bundle's rollout."""
        name = urllib.parse.unquote(url.path[len("/api/v1/bundles/") : -len("/resolve")])
        q = dict(urllib.parse.parse_qsl(url.query))
        env, subject = q.get("environment"), q.get("subject")
        members = self.bundles.get(name)
        if members is None:
            return handler.reply(404, {"error": {"code": "not_found", "message": "No bundle named %s" % name}})
        live = {m: self.prompts[(env, m)] for m in members}
        ramp = self.bundle_rollouts.get(name)
        arm = None
        if ramp is not None and subject is not None:
            arm = "new" if bucket(subject) < ramp["share"] else "live"
        prompts = {}
        for m, body in live.items():
            fresh = (ramp or {}).get("fresh", {}).get(m)
            own = {"id": "%s/%s" % (ramp["id"], m), "arm": arm} if arm and fresh else None
            answer = dict(fresh if arm == "new" and fresh else body)
            experiment = {"id": own["id"], "variant": arm, "phase": 1} if own else None
            answer.update(rollout=own, experiment=experiment, subjectDependent=own is not None, subject=subject)
            prompts[m] = answer
        versions = {m: p["version"] for m, p in live.items()}
        release = {"id": 7, "at": "2026-11-27T00:00:00.000Z", "action": "release", "versions": versions, "current": True}
        rollout = {"id": ramp["id"], "arm": arm} if arm else None
        body = {"bundle": name, "environment": env, "release": release, "rollout": rollout, "subject": subject, "prompts": prompts}
        handler.reply(200, body)

    def bundle_requests(self):
        """The query of every bundle resolve request, as a dict, in order."""
        with self.lock:
            paths = [r[1] for r in self.requests if r[1].startswith("/api/v1/bundles/")]
        return [dict(urllib.parse.parse_qsl(urllib.parse.urlparse(p).query)) for p in paths]

    def batch(self, handler, body):
        """Batch resolve: each named prompt answered or named in errors (all: every prompt of the environment)."""
        env = body.get("environment", "production")
        names = body.get("names")
        if names is None:
            names = sorted(n for (e, n) in self.prompts if e == env)
        prompts, errors = [], []
        for n in names:
            p = self.prompts.get((env, n))
            if p is None:
                errors.append({"name": n, "error": {"code": "not_found", "message": "Prompt %s does not exist" % n}})
            else:
                prompts.append(dict(p, etag='"batch-%s"' % n))
        handler.reply(200, {"prompts": prompts, "errors": errors})

    def record(self, handler):
        with self.lock:
            self.requests.append((handler.command, handler.path, dict(handler.headers)))

    def resolves(self):
        with self.lock:
            return [r for r in self.requests if r[1].startswith("/api/v1/prompts/resolve")]

    def stream(self, handler):
        q = queue.Queue()
        with self.lock:
            self.streams.append(q)
        handler.send_response(200)
        handler.send_header("content-type", "text/event-stream")
        handler.send_header("cache-control", "no-cache")
        handler.end_headers()
        handler.close_connection = True
        try:
            self.release_stream.wait(10)
            handler.wfile.write(b"retry: 200\n: hello\n\n")
            handler.wfile.flush()
            self.stream_opened.set()
            while True:
                chunk = q.get()
                if chunk is None:
                    return
                handler.wfile.write(chunk.encode())
                handler.wfile.flush()
        except OSError:
            pass

    def announce(self, name, environment, version, event_id):
        """Sends prompt.changed to every open stream, split mid-line as a proxy might."""
        text = "id: %s\nevent: prompt.changed\ndata: %s\n\n" % (
            event_id,
            json.dumps({"name": name, "environment": environment, "version": version, "action": "deploy"}),
        )
        with self.lock:
            for q in self.streams:
                q.put(text[:7])
                q.put(text[7:])

    def close(self):
        with self.lock:
            for q in self.streams:
                q.put(None)
        self.server.shutdown()
        self.server.server_close()
