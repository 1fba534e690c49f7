"""HTTP with the standard library: one resolve request (ETag revalidation, typed errors) and event posts."""

import json
import socket
import urllib.error
import urllib.parse
import urllib.request

from . import __version__
from .errors import LecternNetworkError, error_from_response

USER_AGENT = "lectern-python/" + __version__


class Transport:
    def __init__(self, base_url, api_key, timeout):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def request(self, method, path, headers=None, body=None, what="Lectern"):
        """(status, headers, text) for any answer; LecternNetworkError when there is none."""
        h = {"authorization": "Bearer " + self.api_key, "user-agent": USER_AGENT}
        h.update(headers or {})
        data = None
        if body is not None:
            data = json.dumps(body, separators=(",", ":"), allow_nan=False).encode("utf-8")
            h["content-type"] = "application/json"
        req = urllib.request.Request(self.base_url + path, data=data, headers=h, method=method)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as res:
                return res.status, res.headers, res.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            # urllib raises for every status outside 2xx, 304 included: they are all answers.
            try:
                text = e.read().decode("utf-8", "replace")
            except (OSError, ValueError):
                text = ""
            return e.code, e.headers, text
        except (socket.timeout, TimeoutError) as e:
            raise LecternNetworkError("%s timed out after %g s" % (what, self.timeout), "timeout") from e
        except (urllib.error.URLError, OSError, ValueError) as e:
            reason = getattr(e, "reason", e)
            if isinstance(reason, (socket.timeout, TimeoutError)):
                raise LecternNetworkError("%s timed out after %g s" % (what, self.timeout), "timeout") from e
            raise LecternNetworkError("Cannot reach Lectern at %s: %s" % (self.base_url, reason), "network_error") from e


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


def fetch_resolved(transport, key, etag=None):
    """(200, body, etag) or (304, None, etag); raises a typed LecternError otherwise."""
    headers = {"accept": "application/json"}
    if etag:
        headers["if-none-match"] = etag
    status, res_headers, text = transport.request("GET", resolve_path(key), headers, what="Resolving " + key[1])
    if status == 304:
        return 304, None, etag
    if status < 200 or status >= 300:
        raise error_from_response(status, text)
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if not looks_resolved(body):
        raise LecternNetworkError(
            "%s answered %d with something that is not a Lectern prompt (is base_url right?)"
            % (transport.base_url, status),
            "invalid_response",
            status,
        )
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
    if status < 200 or status >= 300:
        raise error_from_response(status, text)
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if (
        not isinstance(parsed, dict)
        or not isinstance(parsed.get("prompts"), list)
        or not isinstance(parsed.get("errors"), list)
        or not all(looks_resolved(p) for p in parsed["prompts"])
    ):
        raise LecternNetworkError(
            "%s answered %d with something that is not a batch of Lectern prompts (is base_url right?)"
            % (transport.base_url, status),
            "invalid_response",
            status,
        )
    return parsed
