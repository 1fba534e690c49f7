"""The in-process cache: (environment, name, version, subject) → entry, with at most max_subjects
subjects per prompt (subjects are unbounded, one per user: the oldest is dropped)."""

import collections
import copy

from .prompt import Prompt


class Entry:
    __slots__ = ("key", "response", "etag", "fresh_until", "prompt", "partials", "inflight", "again", "failures")

    def __init__(self, key):
        self.key = key
        self.inflight = False
        self.again = False  # a change was announced while a revalidation was in flight
        self.failures = 0  # consecutive failed revalidations, for backing off


class PromptCache:
    def __init__(self, max_subjects):
        self._max_subjects = max_subjects
        self._entries = {}
        self._subjects = {}  # (environment, name, version) → OrderedDict of subjects

    def get(self, key):
        return self._entries.get(key)

    def any_subject(self, environment, name, version):
        """Any entry for the prompt, whatever the subject: an outage fallback that beats a hard-coded one."""
        subjects = self._subjects.get((environment, name, version))
        if not subjects:
            return None
        return self._entries.get((environment, name, version, next(iter(subjects))))

    def set(self, key, response, etag, fresh_until, source):
        """Stores a response (replacing what the key held) and returns its entry."""
        response = copy.deepcopy(response)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = Entry(key)
            subjects = self._subjects.setdefault(key[:3], collections.OrderedDict())
            subjects[key[3]] = True
            if len(subjects) > self._max_subjects:
                oldest = next(iter(subjects))
                del subjects[oldest]
                self._entries.pop(key[:3] + (oldest,), None)
        entry.response = response
        entry.etag = etag
        entry.fresh_until = fresh_until
        entry.prompt = Prompt(response, "cache" if source == "network" else source)
        entry.partials = list((response.get("partials") or {}).keys())
        return entry

    def delete(self, entry):
        if self._entries.get(entry.key) is not entry:
            return
        del self._entries[entry.key]
        subjects = self._subjects.get(entry.key[:3])
        if subjects is not None:
            subjects.pop(entry.key[3], None)
            if not subjects:
                del self._subjects[entry.key[:3]]

    def entries(self):
        return list(self._entries.values())
