"""Typed errors, as in the TypeScript SDK: every error the client raises or reports is a LecternError;
the subclasses are the cases an application handles differently (fix the name, the key, the
variables, or retry)."""

import json

_STATUS = {
    "invalid_input": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "not_found": 404,
    "not_deployed": 404,
    "unprocessable": 422,
    "missing_variables": 422,
    "invalid_variables": 422,
}


class LecternError(Exception):
    """``code`` is the server's error code (or the client's own); ``status`` the HTTP status, if any."""

    def __init__(self, message, code, status=None, details=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.details = details


class LecternNotFoundError(LecternError):
    """404: no prompt of that name (``not_found``), or nothing of it live in the environment (``not_deployed``)."""


class LecternAuthError(LecternError):
    """401 or 403: the API key is missing, unknown, revoked, or not allowed to do this."""


class LecternValidationError(LecternError):
    """``missing_variables`` or ``invalid_variables``, from render() or from the server."""

    @property
    def missing(self):
        m = (self.details or {}).get("missing")
        return list(m) if isinstance(m, list) else []

    @property
    def invalid(self):
        i = (self.details or {}).get("invalid")
        return list(i) if isinstance(i, list) else []


class LecternNetworkError(LecternError):
    """No usable answer: connection refused, DNS, TLS, a timeout (``code == "timeout"``), or a body that is not Lectern's."""


def lectern_error(code, message, status=None, details=None):
    """The typed error for a server error code; status defaults to the server's for that code."""
    if status is None:
        status = _STATUS.get(code)
    if code in ("not_found", "not_deployed"):
        return LecternNotFoundError(message, code, status, details)
    if code in ("unauthorized", "forbidden") or status in (401, 403):
        return LecternAuthError(message, code, status, details)
    if code in ("missing_variables", "invalid_variables"):
        return LecternValidationError(message, code, status, details)
    return LecternError(message, code, status, details)


def error_from_response(status, body_text):
    """Maps a non-2xx answer to a typed error; bodies that are not ``{error: {code, message}}`` get a code from the status."""
    try:
        parsed = json.loads(body_text)
    except ValueError:
        parsed = None
    e = parsed.get("error") if isinstance(parsed, dict) else None
    if isinstance(e, dict) and isinstance(e.get("code"), str) and isinstance(e.get("message"), str):
        details = e.get("details") if isinstance(e.get("details"), dict) else None
        return lectern_error(e["code"], e["message"], status, details)
    if status == 401:
        code = "unauthorized"
    elif status == 403:
        code = "forbidden"
    elif status == 404:
        code = "not_found"
    elif status == 429:
        code = "rate_limited"
    elif status >= 500:
        code = "unavailable"
    else:
        code = "http_error"
    suffix = ": " + body_text[:200] if body_text else ""
    return lectern_error(code, "Lectern answered HTTP %d%s" % (status, suffix), status)


def is_transient(e):
    """Whether a fallback may be served instead: Lectern could not be reached or could not answer now.

    404 and 401/403 never qualify: they mean the name, environment or key is wrong.
    """
    if isinstance(e, LecternNetworkError):
        return True
    return isinstance(e, LecternError) and e.status is not None and (e.status >= 500 or e.status == 429)
