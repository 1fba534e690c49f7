"""Keeps cached prompts current from a daemon thread: the /api/v1/events stream (Server-Sent Events,
reconnecting with backoff and Last-Event-ID) when it can be had, polling when it cannot."""

import codecs
import json
import random
import socket
import threading
import urllib.error
import urllib.request

from .errors import LecternError, LecternNetworkError, error_from_response

MAX_BACKOFF = 30.0
# Three missed heartbeats (the server sends one every 15 s) mean the connection is dead.
IDLE_LIMIT = 45.0
FAILURES_BEFORE_POLLING = 3
NO_PUSH_STATUSES = (401, 403, 404, 405, 501)
# Lectern's events are a few hundred bytes: a line or an event past these is not Lectern's, and the stream is
# dropped (and reconnected) rather than kept growing in memory.
MAX_LINE = 1024 * 1024
MAX_EVENT = 1024 * 1024


class SseTooLarge(LecternNetworkError):
    """A line or an event of the stream past MAX_LINE or MAX_EVENT."""


class SseParser:
    """The HTML spec's event-stream interpretation; text may arrive split anywhere."""

    def __init__(self, on_event, on_retry=None):
        self._on_event = on_event
        self._on_retry = on_retry
        self._buffer = ""
        self._started = False
        self._data = []
        self._size = 0
        self._type = ""
        self.last_id = ""

    def push(self, chunk):
        # Only the part after the last line break can still be a line: a buffer with no break in it is not
        # scanned again, and one past MAX_LINE ends the stream.
        if "\n" not in chunk and "\r" not in chunk and not self._buffer.endswith("\r"):
            self._buffer += chunk
            if len(self._buffer) > MAX_LINE:
                raise SseTooLarge("the event stream sent a line longer than %d characters" % MAX_LINE, "too_large")
            return
        text = self._buffer + chunk
        if not self._started and text:
            self._started = True
            if text[0] == "\ufeff":
                text = text[1:]
        start = 0
        while True:
            lf = text.find("\n", start)
            cr = text.find("\r", start)
            if lf < 0 and cr < 0:
                break
            if cr >= 0 and (lf < 0 or cr < lf):
                if cr == len(text) - 1:  # maybe the first half of a \r\n split across chunks
                    break
                end, nxt = cr, (cr + 2 if text[cr + 1] == "\n" else cr + 1)
            else:
                end, nxt = lf, lf + 1
            self._line(text[start:end])
            start = nxt
        self._buffer = text[start:]
        if len(self._buffer) > MAX_LINE:
            raise SseTooLarge("the event stream sent a line longer than %d characters" % MAX_LINE, "too_large")

    def end(self):
        if self._buffer.endswith("\r"):
            self._line(self._buffer[:-1])
        self._buffer, self._data, self._type, self._size = "", [], "", 0

    def _line(self, line):
        if line == "":
            data, kind = self._data, self._type
            self._data, self._type, self._size = [], "", 0
            if data:
                self._on_event(kind or "message", "\n".join(data), self.last_id)
            return
        if line[0] == ":":
            return
        field, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if field == "data":
            self._size += len(value) + 1
            if self._size > MAX_EVENT:
                raise SseTooLarge("the event stream sent an event larger than %d characters" % MAX_EVENT, "too_large")
            self._data.append(value)
        elif field == "event":
            self._type = value
        elif field == "id" and "\0" not in value:
            self.last_id = value
        elif field == "retry" and value.isdigit() and value.isascii() and self._on_retry:
            self._on_retry(int(value))


def parse_change(data):
    try:
        d = json.loads(data)
    except ValueError:
        return None
    if not isinstance(d, dict) or not isinstance(d.get("name"), str):
        return None
    if d.get("environment") is not None and not isinstance(d.get("environment"), str):
        return None
    return d


class Updates:
    def __init__(self, transport, push, poll_interval, on_change, on_resync, on_error):
        self._t = transport
        self._push = push
        self._poll_interval = poll_interval
        self._on_change = on_change
        self._on_resync = on_resync
        self._on_error = on_error
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._started = False
        self._polling = False
        self._poll_gen = 0
        self._response = None
        self._last_id = ""
        self._retry = 1.0
        self._failures = 0

    def start(self):
        """Called when the first prompt is cached: nothing runs for a client that never fetched."""
        with self._lock:
            if self._started or self._stop.is_set():
                return
            self._started = True
        if self._push:
            threading.Thread(target=self._run, name="lectern-events", daemon=True).start()
        else:
            self._start_polling()

    def close(self):
        self._stop.set()
        res = self._response
        if res is not None:
            _abort(res)

    def _start_polling(self):
        with self._lock:
            if self._polling or self._stop.is_set() or self._poll_interval <= 0:
                return
            self._polling = True
            self._poll_gen += 1
            gen = self._poll_gen
        threading.Thread(target=self._poll, args=(gen,), name="lectern-poll", daemon=True).start()

    def _poll(self, gen):
        while not self._stop.wait(self._poll_interval):
            if not self._polling or gen != self._poll_gen:
                return
            self._on_resync()

    def _run(self):
        while not self._stop.is_set():
            if self._connect_once() == "stop" or self._stop.is_set():
                return
            if self._failures == 0:
                delay = self._retry
            else:
                delay = min(MAX_BACKOFF, self._retry * 2 ** (self._failures - 1)) * (0.5 + random.random() / 2)
            self._stop.wait(delay)

    def _connect_once(self):
        headers = {
            "authorization": "Bearer " + self._t.api_key,
            "accept": "text/event-stream",
            "cache-control": "no-cache",
        }
        resuming = self._last_id != ""
        if resuming:
            headers["last-event-id"] = self._last_id
        opened = False
        req = urllib.request.Request(self._t.base_url + "/api/v1/events", headers=headers)
        try:
            try:
                res = urllib.request.urlopen(req, timeout=self._t.timeout)
            except urllib.error.HTTPError as e:
                raise error_from_response(e.code, e.read().decode("utf-8", "replace")) from None
            self._response = res
            if self._stop.is_set():
                return "stop"
            _set_timeout(res, IDLE_LIMIT)
            parser = SseParser(self._event, self._set_retry)
            decoder = codecs.getincrementaldecoder("utf-8")("replace")
            while True:
                chunk = res.read1(65536)
                if not chunk:
                    break
                if not opened:
                    # The server listens before it sends its first bytes: from here on nothing is missed.
                    opened = True
                    self._failures = 0
                    self._polling = False
                    if not resuming:
                        self._on_resync()
                parser.push(decoder.decode(chunk))
            parser.end()
            return "again"
        except Exception as e:
            if self._stop.is_set():
                return "stop"
            err = e
            if not isinstance(e, LecternError):
                what = "was interrupted" if opened else "could not be opened"
                err = LecternNetworkError("The event stream %s: %s" % (what, e), "network_error")
            if err.status in NO_PUSH_STATUSES:
                self._on_error(
                    LecternError(
                        "Push updates are unavailable (%s); polling every %g s instead." % (err, self._poll_interval),
                        code=err.code,
                        status=err.status,
                    )
                )
                self._start_polling()
                return "stop"
            if not opened:
                self._failures += 1
            if self._failures >= FAILURES_BEFORE_POLLING:
                self._start_polling()
            self._on_error(err)
            return "again"
        finally:
            res, self._response = self._response, None
            if res is not None:
                res.close()

    def _set_retry(self, ms):
        self._retry = max(0.1, ms / 1000.0)

    def _event(self, kind, data, last_id):
        if last_id:
            self._last_id = last_id
        if kind == "reset":
            # The server could not tell what was missed: revalidate everything.
            self._on_resync()
        elif kind in ("prompt.changed", "experiment.changed"):
            change = parse_change(data)
            if change:
                self._on_change(change)


def _sock(res):
    try:
        return res.fp.raw._sock
    except AttributeError:
        return None


def _set_timeout(res, seconds):
    s = _sock(res)
    if s is not None:
        s.settimeout(seconds)


def _abort(res):
    """Wakes a thread blocked reading the stream (closing alone does not interrupt a read)."""
    s = _sock(res)
    try:
        if s is not None:
            s.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
