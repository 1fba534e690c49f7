"""Lectern: get_prompt with an in-process cache (stale-while-revalidate), deduplicated requests,
fallbacks, bootstrap snapshots, live updates and track()."""

import atexit
import logging
import threading
import time
import weakref

from ._cache import PromptCache
from ._http import Transport, fetch_batch, fetch_bundle, fetch_resolved, fetch_skill, looks_skill
from ._snapshot import read_snapshot, save_json, snapshot_of
from ._track import Tracker
from ._updates import Updates
from .errors import LecternError, LecternNotFoundError, is_transient
from .prompt import Prompt, prompt_from_fallback

_log = logging.getLogger("lectern")

_MAX_SUBJECT = 256  # the server's limit on a subject (GET /api/v1/bundles/{name}/resolve refuses a longer one)


def _retry_delay(failures):
    """After n consecutive failures, wait this long before asking the server about that prompt again."""
    return min(30.0, 1.0 * 2 ** min(failures - 1, 5))


def _non_negative(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise LecternError("%s must be a number ≥ 0 (seconds)" % name, code="invalid_input")
    return float(value)


def _default_on_error():
    seen = {}  # one line per distinct problem per minute: an outage should not flood the log

    def report(e):
        now = time.monotonic()
        if seen.get(str(e), -1e9) > now - 60:
            return
        if len(seen) > 100:
            seen.clear()
        seen[str(e)] = now
        _log.warning("[lectern] %s", e)

    return report


class _Failure:
    __slots__ = ("until", "count", "error", "fallback_input", "fallback")

    def __init__(self):
        self.until, self.count, self.error = 0.0, 0, None
        self.fallback_input, self.fallback = None, None


class _Pending:
    __slots__ = ("done", "prompt", "error")

    def __init__(self):
        self.done, self.prompt, self.error = threading.Event(), None, None


class Lectern:
    """A client for one Lectern server and API key (a runtime key).

    Times are in seconds. ``bootstrap`` is a snapshot (a dict from ``snapshot()``, or the path of a
    JSON file holding one): its prompts are served at once, as stale, and refreshed on first use.
    ``offline=True`` makes no request at all (base_url and api_key may be empty): prompts come from the
    bootstrap or the fallback, and track() drops events.
    """

    def __init__(
        self,
        base_url,
        api_key,
        environment="production",
        cache_ttl=60.0,
        timeout=5.0,
        push=True,
        poll_interval=30.0,
        bootstrap=None,
        on_error=None,
        flush_interval=1.0,
        max_subjects_per_prompt=1000,
        offline=False,
    ):
        # Offline, base_url and api_key may be empty: code whose settings are unset runs on its fallbacks.
        self._offline = offline is True
        if self._offline:
            base_url, api_key, push, poll_interval = "http://lectern.invalid", "", False, 0
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise LecternError("base_url must be an http(s) URL", code="invalid_input")
        if not self._offline and (not isinstance(api_key, str) or not api_key):
            raise LecternError("api_key is required", code="invalid_input")
        self.environment = environment
        self._ttl = _non_negative("cache_ttl", cache_ttl)
        timeout = _non_negative("timeout", timeout)
        if timeout == 0:
            raise LecternError("timeout must be greater than 0", code="invalid_input")
        self._transport = Transport(base_url, api_key, timeout, offline=self._offline)
        user_on_error = on_error or _default_on_error()

        def report(e):
            try:
                user_on_error(e)
            except Exception:  # a throwing handler must not break the client
                pass

        self._report = report
        self._lock = threading.RLock()
        self._cache = PromptCache(max(1, int(max_subjects_per_prompt)))
        self._misses = {}
        self._failures = {}
        self._changes = 0  # bumped by every announced change
        self._closed = False
        self._updates = Updates(
            self._transport,
            push,
            _non_negative("poll_interval", poll_interval),
            self._on_change,
            self._resync,
            report,
        )
        self._tracker = Tracker(self._transport, _non_negative("flush_interval", flush_interval), report)
        # Send what is queued when the interpreter exits (daemon threads are stopped without warning).
        tracker = weakref.ref(self._tracker)
        atexit.register(lambda: tracker() is not None and tracker().flush())
        if bootstrap is not None:
            # Stale from the start: served at once, revalidated (with its ETag) on first use.
            for key, response, etag in read_snapshot(bootstrap):
                self._cache.set(key, response, etag, 0.0, "bootstrap")

    # -- prompts -------------------------------------------------------------------------------

    def get_prompt(self, name, subject=None, fallback=None, version=None, environment=None):
        """The prompt ``name`` as served to the environment (for ``subject``, when A/B tests assign by it).

        A cached prompt is returned at once; past ``cache_ttl`` it is refreshed in the background.
        When Lectern cannot be reached and nothing is cached, ``fallback`` (a template string, or a
        dict with type, template, variables, config) is served instead of raising.
        """
        environment = environment or self.environment
        key = (environment, name, version, subject)
        with self._lock:
            entry = self._cache.get(key)
            if entry is None and subject is not None:
                shared = self._cache.get((environment, name, version, None))
                if shared is not None and shared.response.get("subjectDependent") is False:
                    entry = shared
            if entry is not None:
                if time.monotonic() >= entry.fresh_until:
                    self._revalidate(entry)
                return entry.prompt
        return self._load(key, fallback)

    def prefetch(self, names=None, environment=None):
        """Fills the cache in one request: the named prompts, or with no names every prompt the environment
        serves (at most 100). Returns ``{"loaded": [names], "errors": [{"name", "code", "message"}],
        "truncated": bool}``; each prompt is loaded or reported on its own. Raises only when the request as a
        whole fails (network, key)."""
        if names is not None:
            if isinstance(names, str) or not all(isinstance(n, str) for n in names):
                raise LecternError("prefetch takes a list of prompt names", "invalid_input")
            names = list(names)
            if not names:
                return {"loaded": [], "errors": [], "truncated": False}
        environment = environment or self.environment
        seen = self._changes
        answer = fetch_batch(self._transport, environment, names)
        loaded = []
        with self._lock:
            for body in answer["prompts"]:
                etag = body.pop("etag", None)
                key = (environment, body["name"], None, None)
                entry = self._cache.set(key, body, etag, time.monotonic() + self._ttl, "network")
                if self._changes != seen:
                    self._invalidate(entry)
                loaded.append(body["name"])
        if loaded and not self._closed:
            self._updates.start()
        errors = [
            {"name": e.get("name"), "code": (e.get("error") or {}).get("code"), "message": (e.get("error") or {}).get("message")}
            for e in answer["errors"]
        ]
        return {"loaded": loaded, "errors": errors, "truncated": answer.get("truncated") is True}

    def get_bundle(self, name, environment=None, subject=None):
        """Every prompt of a bundle (a set released as one) as the environment serves it, all from one
        consistent release: never a mix of an old and a new release's members. With ``subject`` (at most 256
        characters), while the bundle's guarded rollout ramps: the subject's side of it, every member's new
        version or every member's live one (Lectern records the exposure). Read from Lectern each time, never
        cached: one subject's answer is not another's.
        Returns ``{"name", "environment", "release": {"id", "at", "action", "versions", "current"} or None,
        "rollout": {"id", "arm": "new" | "live"} or None, "subject", "prompts": {member: Prompt}}``; each
        member's ``rollout`` names its own member rollout."""
        if not isinstance(name, str) or not name:
            raise LecternError("get_bundle takes a bundle name", "invalid_input")
        if environment is not None and (not isinstance(environment, str) or not environment):
            raise LecternError("environment must be a non-empty string", "invalid_input", details={"field": "environment"})
        # The server counts a subject's length as JavaScript does (UTF-16 code units).
        if subject is not None and (not isinstance(subject, str) or len(subject.encode("utf-16-le")) // 2 > _MAX_SUBJECT):
            raise LecternError(
                "subject must be a string of at most %d characters" % _MAX_SUBJECT, "invalid_input", details={"field": "subject"}
            )
        answer = fetch_bundle(self._transport, name, environment or self.environment, subject)
        return {
            "name": answer.get("bundle"),
            "environment": answer.get("environment"),
            "release": answer.get("release"),
            "rollout": answer.get("rollout"),
            "subject": answer.get("subject"),
            "prompts": {member: Prompt(body, "network") for member, body in answer["prompts"].items() if not looks_skill(body)},
            "skills": {member: _skill(body) for member, body in answer["prompts"].items() if looks_skill(body)},
        }

    def get_skill(self, name, environment=None, version=None):
        """An agent skill's files as the environment serves it (or ``version``): ``{"name", "folder",
        "version", "environment", "live_since", "files": {path: text}}``, SKILL.md first, exactly as stored
        (write each to ``<folder>/<path>`` to install it). Read from Lectern each time; a prompt that is not a
        skill is refused (get_prompt reads those)."""
        if not isinstance(name, str) or not name:
            raise LecternError("get_skill takes a skill's name", "invalid_input")
        if environment is not None and (not isinstance(environment, str) or not environment):
            raise LecternError("environment must be a non-empty string", "invalid_input", details={"field": "environment"})
        if version is not None and (isinstance(version, bool) or not isinstance(version, int) or version < 1):
            raise LecternError("version must be a whole number from 1", "invalid_input", details={"field": "version"})
        return _skill(fetch_skill(self._transport, name, environment or self.environment, version))

    def _load(self, key, fallback):
        with self._lock:
            failure = self._failures.get(key)
        try:
            if failure is not None and time.monotonic() < failure.until:
                raise failure.error
            prompt = self._fetch_deduplicated(key)
            with self._lock:
                self._failures.pop(key, None)
            return prompt
        except LecternError as e:
            if not is_transient(e):
                raise
            with self._lock:
                f = self._failures.get(key) or _Failure()
                now = time.monotonic()
                if f.until <= now:
                    f.count += 1
                    f.until = now + _retry_delay(f.count)
                    f.error = e
                    if len(self._failures) > 10_000:
                        self._failures.clear()
                    self._failures[key] = f
                other = self._cache.any_subject(*key[:3])
            if other is not None:
                self._report(e)
                return other.prompt
            if fallback is None:
                raise
            self._report(LecternError("Serving the fallback of %s: %s" % (key[1], e), code="fallback"))
            if f.fallback is None or f.fallback_input != fallback:
                f.fallback_input, f.fallback = fallback, prompt_from_fallback(key[1], key[0], fallback)
            return f.fallback

    def _fetch_deduplicated(self, key):
        with self._lock:
            pending = self._misses.get(key)
            owner = pending is None
            if owner:
                pending = self._misses[key] = _Pending()
        if owner:
            try:
                pending.prompt = self._fetch_miss(key)
            except BaseException as e:
                pending.error = e
            finally:
                with self._lock:
                    self._misses.pop(key, None)
                pending.done.set()
        else:
            pending.done.wait()
        if pending.error is not None:
            raise pending.error
        return pending.prompt

    def _fetch_miss(self, key):
        seen = self._changes
        status, body, etag = fetch_resolved(self._transport, key)
        if status == 304:
            raise LecternError("Lectern answered 304 to a request without If-None-Match", "invalid_response", 304)
        if body.get("subjectDependent") is False and key[3] is not None:
            key = key[:3] + (None,)
        with self._lock:
            entry = self._cache.set(key, body, etag, time.monotonic() + self._ttl, "network")
            # A change announced while this request was in flight may not be in what it read.
            if self._changes != seen:
                self._invalidate(entry)
        if not self._closed:
            self._updates.start()
        return entry.prompt.with_source("network")

    def _revalidate(self, entry):
        with self._lock:
            if entry.inflight:
                return
            entry.inflight = True
        if not self._closed:
            self._updates.start()
        threading.Thread(target=self._refresh, args=(entry,), name="lectern-refresh", daemon=True).start()

    def _refresh(self, entry):
        try:
            status, body, etag = fetch_resolved(self._transport, entry.key, entry.etag)
            with self._lock:
                entry.failures = 0
                if status == 200:
                    self._cache.set(entry.key, body, etag, time.monotonic() + self._ttl, "cache")
                else:
                    entry.fresh_until = time.monotonic() + self._ttl
                    if entry.prompt.source != "cache":
                        entry.prompt = entry.prompt.with_source("cache")
        except LecternError as e:
            with self._lock:
                if isinstance(e, LecternNotFoundError):
                    # The server no longer serves it (deleted, archived, undeployed): neither should we.
                    self._cache.delete(entry)
                else:
                    # Keep serving what we have (stale-if-error), and back off.
                    entry.failures += 1
                    entry.fresh_until = time.monotonic() + min(self._ttl, _retry_delay(entry.failures))
            self._report(e)
        finally:
            with self._lock:
                entry.inflight = False
                again = entry.again and self._cache.get(entry.key) is entry
                entry.again = False
            if again:
                self._revalidate(entry)

    def _invalidate(self, entry):
        entry.fresh_until = 0.0
        if entry.inflight:
            entry.again = True
        else:
            self._revalidate(entry)

    def _on_change(self, change):
        name, environment = change["name"], change.get("environment")
        with self._lock:
            self._changes += 1
            entries = self._cache.entries()
            if environment is None:
                # A new version changes no environment; prompts pinned to it, or including it by pin, may care.
                pins = ("%s|label=latest" % name, "%s|version=%s" % (name, change.get("version")))
                stale = [
                    e
                    for e in entries
                    if (e.key[1] == name and e.key[2] == change.get("version")) or any(p in pins for p in e.partials)
                ]
            else:
                pinned = "%s|label=%s" % (name, environment)
                stale = [
                    e
                    for e in entries
                    if (e.key[0] == environment and (e.key[1] == name or name in e.partials)) or pinned in e.partials
                ]
            for e in stale:
                self._invalidate(e)

    def _resync(self):
        with self._lock:
            self._changes += 1
            for e in self._cache.entries():
                self._invalidate(e)

    # -- snapshots -----------------------------------------------------------------------------

    def snapshot(self):
        """Every cached prompt, as JSON-ready data for ``Lectern(..., bootstrap=...)`` (the TypeScript SDK's format)."""
        with self._lock:
            return snapshot_of(self._cache.entries())

    def save_snapshot(self, path):
        """Writes snapshot() to a JSON file (atomically), for ``bootstrap=path`` at the next start."""
        save_json(path, self.snapshot())

    # -- events --------------------------------------------------------------------------------

    def track(self, event):
        """Queues a metric event (a dict: type, prompt, version, subject, …; see prompt.event_fields()).

        Events are sent in batches by a background thread (every flush_interval, or at 100 queued),
        retried with backoff on network errors, 429 and 5xx. Events the server refuses are dropped
        and reported to on_error. An offline client drops them: there is nowhere to send them.
        """
        if self._offline:
            return
        self._tracker.track(event)

    def flush(self):
        """Sends every queued event now; True when all were acknowledged (or refused), False when a send failed."""
        return self._tracker.flush()

    def close(self):
        """Stops live updates and sends what is queued. get_prompt keeps working, without push."""
        self._closed = True
        self._updates.close()
        return self._tracker.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _skill(body):
    name = body["name"]
    return {
        "name": name,
        "folder": name.rsplit("/", 1)[-1],
        "version": body["version"],
        "environment": body.get("environment"),
        "live_since": body.get("liveSince"),
        "files": dict(body["files"]),
    }
