"""HTTP with the standard library: one resolve request (ETag revalidation, typed errors) and event posts."""

import http.client
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

from . import __version__
from .errors import LecternError, LecternNetworkError, error_from_response

USER_AGENT = "lectern-python/" + __version__

# The most one answer may be (a batch answer holds at most 8 MiB of prompts): more is refused, not read.
MAX_ANSWER_BYTES = 32 * 1024 * 1024


def _origin(url):
    u = urllib.parse.urlsplit(url)
    return (u.scheme, u.hostname, u.port or {"http": 80, "https": 443}.get(u.scheme))


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the same origin: the API key must never reach another host."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if _origin(newurl) != _origin(req.full_url):
            return None  # not followed: the 3xx is the answer, and says where it pointed
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = urllib.request.build_opener(_SameOriginRedirects)


def _set_timeout(res, seconds):
    sock = getattr(getattr(getattr(res, "fp", None), "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(seconds)


class Transport:
    def __init__(self, base_url, api_key, timeout, offline=False):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.offline = offline

    def _read(self, res, deadline, what):
        """The body, within the call's deadline and MAX_ANSWER_BYTES, whatever pace the server sends it at."""
        declared = res.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
            raise LecternNetworkError(
                "%s answered %s bytes, more than the %d the client reads" % (what, declared, MAX_ANSWER_BYTES), "too_large"
            )
        chunks, size = [], 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout("deadline")
            _set_timeout(res, left)
            chunk = res.read1(65536) if hasattr(res, "read1") else res.read(65536)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > MAX_ANSWER_BYTES:
                raise LecternNetworkError(
                    "%s answered more than the %d bytes the client reads" % (what, MAX_ANSWER_BYTES), "too_large"
                )
            chunks.append(chunk)

    def request(self, method, path, headers=None, body=None, what="Lectern"):
        """(status, headers, text) for any answer; LecternNetworkError when there is none. ``timeout`` bounds the
        whole call (connecting, waiting and reading), not each read."""
        if self.offline:
            raise LecternNetworkError("Lectern is not configured (the client is offline): no request was made", "offline")
        h = {"authorization": "Bearer " + self.api_key, "user-agent": USER_AGENT}
        h.update(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":"), allow_nan=False).encode("utf-8")
            h["content-type"] = "application/json"
        req = urllib.request.Request(self.base_url + path, data=data, headers=h, method=method)
        deadline = time.monotonic() + self.timeout
        try:
            with _opener.open(req, timeout=self.timeout) as res:
                return res.status, res.headers, self._read(res, deadline, what).decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            if e.code in (301, 302, 303, 307, 308):
                raise LecternNetworkError(
                    "%s redirected to %s, another origin: not followed, so the API key stays with %s (set base_url to"
                    " the address Lectern answers at)" % (what, e.headers.get("location"), self.base_url),
                    "redirect",
                    e.code,
                ) from None
            # urllib raises for every status outside 2xx, 304 included: they are all answers.
            try:
                text = self._read(e, deadline, what).decode("utf-8", "replace")
            except LecternNetworkError:
                raise
            except (OSError, ValueError, http.client.HTTPException):
                text = ""
            return e.code, e.headers, text
        except LecternNetworkError:
            raise
        except (socket.timeout, TimeoutError) as e:
            raise LecternNetworkError("%s timed out after %g s" % (what, self.timeout), "timeout") from e
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as e:
            # HTTPException: IncompleteRead (a body cut short), a bad status line, too many headers.
            reason = getattr(e, "reason", e)
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise LecternNetworkError("%s timed out after %g s" % (what, self.timeout), "timeout") from e
            raise LecternNetworkError(
                "Cannot reach Lectern at %s: %s" % (self.base_url, reason or type(e).__name__), "network_error"
            ) from e


def resolve_path(key):
    environment, name, version, subject = key
    q = {"name": name, "environment": environment}
    if version is not None:
        q["version"] = str(version)
    if subject is not None:
        q["subject"] = subject
    return "/api/v1/prompts/resolve?" + urllib.parse.urlencode(q)


def looks_resolved(body):
    if not isinstance(body, dict):
        return False
    t = body.get("type")
    template = body.get("template")
    return (
        isinstance(body.get("name"), str)
        and isinstance(body.get("version"), int)
        and not isinstance(body.get("version"), bool)
        and ((t == "text" and isinstance(template, str)) or (t == "chat" and isinstance(template, list)))
        and isinstance(body.get("variables"), list)
    )


def looks_skill(body):
    """A skill as resolve answers it: its files by path, no template."""
    if not isinstance(body, dict) or body.get("type") != "skill":
        return False
    files = body.get("files")
    return (
        isinstance(body.get("name"), str)
        and isinstance(body.get("version"), int)
        and not isinstance(body.get("version"), bool)
        and isinstance(files, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
    )


def _answer(status, text):
    """The parsed JSON of a 2xx answer (None when it is not JSON); an error status raises the error its answer names."""
    if status < 200 or status >= 300:
        raise error_from_response(status, text)
    try:
        return json.loads(text)
    except ValueError:
        return None


def _not_lectern(transport, status, what):
    """The error for a 2xx answer that is not ``what`` Lectern sends ("a Lectern prompt")."""
    return LecternNetworkError(
        "%s answered %d with something that is not %s (is base_url right?)" % (transport.base_url, status, what),
        "invalid_response",
        status,
    )


def fetch_skill(transport, name, environment, version=None):
    """GET resolve of a skill: its answer (a prompt's answer is refused, naming get_prompt)."""
    status, _, text = transport.request(
        "GET", resolve_path((environment, name, version, None)), {"accept": "application/json"}, what="Resolving skill " + name
    )
    body = _answer(status, text)
    if looks_skill(body):
        return body
    if looks_resolved(body):
        raise LecternError("%s is a %s prompt, not a skill: get_prompt reads it" % (name, body["type"]), "invalid_input")
    raise _not_lectern(transport, status, "a Lectern skill")


def fetch_resolved(transport, key, etag=None):
    """(200, body, etag) or (304, None, etag); raises a typed LecternError otherwise."""
    headers = {"accept": "application/json"}
    if etag:
        headers["if-none-match"] = etag
    status, res_headers, text = transport.request("GET", resolve_path(key), headers, what="Resolving " + key[1])
    if status == 304:
        return 304, None, etag
    body = _answer(status, text)
    if not looks_resolved(body):
        raise _not_lectern(transport, status, "a Lectern prompt")
    return 200, body, res_headers.get("etag")


def fetch_batch(transport, environment, names):
    """One batch resolve (POST with ``names``, or ``all`` when names is None): the parsed answer,
    ``{"prompts": [...], "errors": [{"name", "error": {"code", "message"}}], "truncated"?}``."""
    body = {"environment": environment}
    if names is None:
        body["all"] = True
    else:
        body["names"] = list(names)
    status, _, text = transport.request(
        "POST", "/api/v1/prompts/resolve", {"accept": "application/json"}, body, what="Prefetching prompts"
    )
    parsed = _answer(status, text)
    if (
        not isinstance(parsed, dict)
        or not isinstance(parsed.get("prompts"), list)
        or not isinstance(parsed.get("errors"), list)
        or not all(looks_resolved(p) or looks_skill(p) for p in parsed["prompts"])
    ):
        raise _not_lectern(transport, status, "a batch of Lectern prompts")
    # A skill named in the batch is read with get_skill: an error entry here, not a prompt to cache.
    skills = [p for p in parsed["prompts"] if looks_skill(p)]
    parsed["prompts"] = [p for p in parsed["prompts"] if not looks_skill(p)]
    parsed["errors"] = list(parsed["errors"]) + [
        {"name": p["name"], "error": {"code": "invalid_input", "message": "%s is a skill: get_skill(name) reads its files" % p["name"]}}
        for p in skills
    ]
    return parsed


def fetch_bundle(transport, name, environment, subject=None):
    """GET /api/v1/bundles/{name}/resolve: every member at one consistent state of the release log; with a
    subject, its side of the bundle's guarded rollout (the server records the exposure)."""
    q = {"environment": environment}
    if subject is not None:
        q["subject"] = subject
    path = "/api/v1/bundles/%s/resolve?%s" % (urllib.parse.quote(name, safe=""), urllib.parse.urlencode(q))
    status, _, text = transport.request("GET", path, {"accept": "application/json"}, what="Resolving bundle " + name)
    parsed = _answer(status, text)
    if (
        not isinstance(parsed, dict)
        or not isinstance(parsed.get("prompts"), dict)
        or not all(looks_resolved(p) or looks_skill(p) for p in parsed["prompts"].values())
    ):
        raise _not_lectern(transport, status, "a Lectern bundle")
    return parsed
