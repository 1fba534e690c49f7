"""track(): metric events queued in memory and sent in batches (POST /api/v1/events) by a daemon thread,
retried with backoff on network errors, 429 and 5xx. A batch the server refuses (422) names the bad
events: they are dropped (and reported), the others are sent again."""

import collections
import datetime
import json
import threading
import time
import uuid

from .errors import LecternError

MAX_BATCH = 500
MAX_QUEUED = 10_000
SEND_AT = 100
MAX_BACKOFF = 60.0


def _now_iso():
    now = datetime.datetime.now(datetime.timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now.microsecond // 1000)


class Tracker:
    def __init__(self, transport, flush_interval, on_error):
        self._transport = transport
        self._interval = flush_interval
        self._on_error = on_error
        self._queue = collections.deque()
        self._lock = threading.Lock()  # guards the queue and the timers
        self._send_lock = threading.Lock()  # one batch on the wire at a time, in order
        self._wake = threading.Condition(self._lock)
        self._due = None  # monotonic time of the next scheduled send
        self._failures = 0
        self._closed = False
        self._thread = None

    def track(self, event):
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            raise LecternError('track() takes a dict with a "type"', code="invalid_input")
        e = dict(event)
        e.setdefault("id", str(uuid.uuid4()))
        e.setdefault("at", _now_iso())
        try:
            json.dumps(e, allow_nan=False)
        except (TypeError, ValueError) as err:
            raise LecternError("track(): the event is not JSON: %s" % err, code="invalid_input") from None
        with self._lock:
            if len(self._queue) >= MAX_QUEUED:
                self._queue.popleft()
                self._report(
                    LecternError(
                        "track(): more than %d events waiting to be sent; dropping the oldest" % MAX_QUEUED,
                        code="queue_full",
                    )
                )
            self._queue.append(e)
            now = time.monotonic()
            if len(self._queue) >= SEND_AT:
                self._due = now
            elif self._due is None:
                self._due = now + self._interval
            self._ensure_thread()
            self._wake.notify()

    def _ensure_thread(self):
        if self._thread is None and not self._closed:
            self._thread = threading.Thread(target=self._run, name="lectern-track", daemon=True)
            self._thread.start()

    def _run(self):
        while True:
            with self._lock:
                while not self._closed and (self._due is None or self._due > time.monotonic()):
                    self._wake.wait(None if self._due is None else max(0.0, self._due - time.monotonic()))
                if self._closed:
                    return
                self._due = None
            self.flush()

    def flush(self):
        """Sends everything queued, batch after batch; returns when the queue is empty or a send failed."""
        with self._send_lock:
            while True:
                with self._lock:
                    if not self._queue:
                        return True
                    batch = [self._queue.popleft() for _ in range(min(MAX_BATCH, len(self._queue)))]
                if not self._send(batch):
                    return False

    def close(self):
        ok = self.flush()
        with self._lock:
            self._closed = True
            self._wake.notify()
        return ok

    def _report(self, e):
        try:
            self._on_error(e)
        except Exception:  # a throwing handler must not break the client
            pass

    def _requeue(self, events):
        with self._lock:
            self._queue.extendleft(reversed(events))

    def _send(self, batch):
        try:
            status, _, text = self._transport.request("POST", "/api/v1/events", body={"events": batch}, what="Sending events")
            if status == 202:
                self._failures = 0
                return True
            try:
                body = json.loads(text)
            except ValueError:
                body = None
            error = body.get("error") if isinstance(body, dict) and isinstance(body.get("error"), dict) else {}
            problems = (error.get("details") or {}).get("problems") if isinstance(error.get("details"), dict) else None
            if status == 422 and isinstance(problems, list):
                bad = {p.get("index") for p in problems if isinstance(p, dict)}
                self._report(
                    LecternError(
                        "Lectern refused %d event(s): %s" % (len(bad), error.get("message", "")),
                        code="invalid_events",
                        status=422,
                        details={"problems": problems},
                    )
                )
                rest = [e for i, e in enumerate(batch) if i not in bad]
                if rest and bad:
                    self._requeue(rest)
                return True
            if status == 429 or status >= 500:
                raise LecternError("Lectern answered %d to events" % status, code="unavailable", status=status)
            self._report(
                LecternError(
                    "Lectern refused the events (%d): %s" % (status, error.get("message", "")),
                    code="events_refused",
                    status=status,
                )
            )
            return True
        except LecternError as e:
            # Kept for a later attempt, in order, with backoff.
            self._requeue(batch)
            self._failures += 1
            self._report(e)
            with self._lock:
                self._due = time.monotonic() + min(MAX_BACKOFF, 1.0 * 2 ** min(self._failures - 1, 6))
                self._ensure_thread()
                self._wake.notify()
            return False
