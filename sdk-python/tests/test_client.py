"""The client against a local fake Lectern: caching, stale-while-revalidate, push updates, fallbacks,
bootstrap snapshots and track() batching."""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from fake_lectern import KEY, FakeLectern, resolved
from lectern.prompt import Prompt
from lectern import Lectern, LecternAuthError, LecternError, LecternNotFoundError, LecternValidationError


def wait_for(predicate, what, limit=10.0):
    """Waits for something a background thread does; the limit only bounds a failing test."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError("timed out waiting for " + what)


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeLectern()
        self.fake.prompts[("production", "greet")] = resolved("greet", 1, "Hello {{name}}!")
        self.errors = []
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        self.fake.close()

    def client(self, **options):
        options.setdefault("push", False)
        options.setdefault("on_error", self.errors.append)
        c = Lectern(self.fake.url + "/", KEY, **options)
        self.clients.append(c)
        return c

    def test_fetches_renders_and_caches(self):
        c = self.client()
        p = c.get_prompt("greet")
        self.assertEqual((p.name, p.version, p.environment, p.type, p.source), ("greet", 1, "production", "text", "network"))
        self.assertFalse(p.is_fallback)
        self.assertEqual(p.config, {"model": "m"})
        self.assertEqual(p.render({"name": "Ada"}), "Hello Ada!")
        self.assertEqual(p.compile(name="Bo"), "Hello Bo!")
        again = c.get_prompt("greet")
        self.assertEqual(again.source, "cache")
        self.assertEqual(len(self.fake.resolves()), 1)
        method, path, headers = self.fake.resolves()[0]
        self.assertIn("name=greet", path)
        self.assertIn("environment=production", path)
        self.assertEqual(headers["Authorization"], "Bearer " + KEY)
        with self.assertRaises(LecternValidationError) as e:
            p.render({})
        self.assertEqual(e.exception.missing, ["name"])

    def test_get_bundle_returns_every_member_at_one_release(self):
        self.fake.prompts[("production", "agent/tools")] = resolved("agent/tools", 2, "Tools for {{name}}")
        self.fake.bundles["agent"] = ["greet", "agent/tools"]
        b = self.client().get_bundle("agent")
        self.assertEqual((b["name"], b["environment"], b["release"]["versions"]), ("agent", "production", {"greet": 1, "agent/tools": 2}))
        self.assertEqual(b["prompts"]["agent/tools"].render({"name": "Ada"}), "Tools for Ada")
        self.assertEqual(b["prompts"]["greet"].source, "network")
        with self.assertRaises(LecternNotFoundError):
            self.client().get_bundle("none")
        with self.assertRaises(LecternError):
            self.client().get_bundle("")

    def test_a_guarded_rollout_says_which_arm_the_subject_got(self):
        rollout = {"id": "r-1", "arm": "new"}
        self.fake.prompts[("production", "ramp")] = resolved("ramp", 2, "New {{name}}", rollout=rollout)
        c = self.client()
        self.assertEqual(c.get_prompt("ramp", subject="u-1").rollout, rollout)
        self.assertIsNone(c.get_prompt("greet").rollout)

    def test_prefetch_fills_the_cache_in_one_request(self):
        self.fake.prompts[("production", "other")] = resolved("other", 3, "Other {{name}}", subjectDependent=False)
        c = self.client()
        r = c.prefetch(["greet", "other", "missing"])
        self.assertEqual(sorted(r["loaded"]), ["greet", "other"])
        self.assertEqual(r["errors"], [{"name": "missing", "code": "not_found", "message": "Prompt missing does not exist"}])
        self.assertFalse(r["truncated"])
        self.assertEqual(len(self.fake.resolves()), 1)
        method, path, _ = self.fake.resolves()[0]
        self.assertEqual((method, path), ("POST", "/api/v1/prompts/resolve"))
        p = c.get_prompt("other", subject="u1")
        self.assertEqual((p.version, p.source), (3, "cache"))
        self.assertEqual(p.render({"name": "Ada"}), "Other Ada")
        self.assertEqual(len(self.fake.resolves()), 1)
        self.assertEqual(sorted(c.prefetch()["loaded"]), ["greet", "other"])
        self.assertEqual(c.prefetch([]), {"loaded": [], "errors": [], "truncated": False})
        with self.assertRaises(LecternError):
            c.prefetch("greet")

    def test_concurrent_misses_make_one_request(self):
        c = self.client()
        results = []
        threads = [threading.Thread(target=lambda: results.append(c.get_prompt("greet").version)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results, [1] * 8)
        self.assertEqual(len(self.fake.resolves()), 1)

    def test_stale_while_revalidate(self):
        c = self.client(cache_ttl=0)
        self.assertEqual(c.get_prompt("greet").version, 1)
        self.fake.prompts[("production", "greet")] = resolved("greet", 2, "Hi {{name}}")
        # Stale: the cached version is served at once, and refreshed in the background.
        self.assertEqual(c.get_prompt("greet").version, 1)
        wait_for(lambda: c.get_prompt("greet").version == 2, "the refreshed version")
        # An unchanged prompt is revalidated with its ETag (304).
        wait_for(lambda: any(r[2].get("If-None-Match") for r in self.fake.resolves()), "an ETag request")
        self.assertEqual(c.get_prompt("greet").render({"name": "Ada"}), "Hi Ada")

    def test_push_updates_refresh_the_cache(self):
        self.fake.release_stream.clear()  # connects once greet is cached: connecting revalidates it
        c = self.client(push=True, cache_ttl=3600)
        self.assertEqual(c.get_prompt("greet").version, 1)
        self.fake.release_stream.set()
        self.assertTrue(self.fake.stream_opened.wait(10))
        # A stream opened without Last-Event-ID may have missed changes: everything cached is revalidated.
        wait_for(lambda: len(self.fake.resolves()) == 2, "the revalidation on connecting")
        self.fake.prompts[("production", "greet")] = resolved("greet", 3, "Hey {{name}}")
        self.fake.announce("greet", "production", 3, "ev-1")
        wait_for(lambda: c.get_prompt("greet").version == 3, "the pushed version")
        # A change in another environment leaves this one alone.
        before = len(self.fake.resolves())
        self.fake.announce("greet", "staging", 4, "ev-2")
        self.fake.announce("greet", "production", 3, "ev-3")
        wait_for(lambda: len(self.fake.resolves()) >= before + 1, "the second refresh")
        time.sleep(0.2)  # a refresh for the staging change would have been sent by now
        self.assertEqual(len(self.fake.resolves()), before + 1)
        stream = [r for r in self.fake.requests if r[1] == "/api/v1/events"][0]
        self.assertEqual(stream[2]["Accept"], "text/event-stream")

    def test_a_changed_partial_refreshes_the_prompts_that_include_it(self):
        partials = {"tone": {"version": 1, "template": "Be kind.", "variables": []}}
        self.fake.prompts[("production", "reply")] = resolved("reply", 1, "{{> tone}} {{name}}", partials=partials)
        # The stream connects once both prompts are cached, so that connecting revalidates both (4 resolves).
        self.fake.release_stream.clear()
        c = self.client(push=True, cache_ttl=3600)
        self.assertEqual(c.get_prompt("reply").render({"name": "Ann"}), "Be kind. Ann")
        c.get_prompt("greet")
        self.fake.release_stream.set()
        self.assertTrue(self.fake.stream_opened.wait(10))
        wait_for(lambda: len(self.fake.resolves()) == 4, "the revalidations on connecting")
        partials = {"tone": {"version": 2, "template": "Be brief.", "variables": []}}
        self.fake.prompts[("production", "reply")] = resolved("reply", 1, "{{> tone}} {{name}}", partials=partials)
        self.fake.announce("tone", "production", 2, "ev-1")
        wait_for(lambda: c.get_prompt("reply").render({"name": "Ann"}) == "Be brief. Ann", "the new partial")
        time.sleep(0.2)  # greet does not include tone: it is not asked for again
        self.assertEqual([r[1] for r in self.fake.resolves()].count(self.fake.resolves()[1][1]), 2)

    def test_fallback_when_unreachable_but_not_for_a_wrong_name_or_key(self):
        self.fake.fail_resolve = 503
        c = self.client()
        p = c.get_prompt("greet", fallback="Hi {{name}}")
        self.assertTrue(p.is_fallback)
        self.assertEqual((p.version, p.source), (0, "fallback"))
        self.assertEqual(p.render({"name": "Ada"}), "Hi Ada")
        self.assertEqual(self.errors[-1].code, "fallback")
        with self.assertRaises(LecternError) as e:
            c.get_prompt("other")
        self.assertEqual(e.exception.status, 503)
        self.fake.fail_resolve = None
        with self.assertRaises(LecternNotFoundError):
            c.get_prompt("missing", fallback="x")
        with self.assertRaises(LecternAuthError):
            Lectern(self.fake.url, "wrong", push=False).get_prompt("greet", fallback="x")

    def test_chat_fallback_with_declared_variables(self):
        c = Lectern("http://127.0.0.1:9", KEY, push=False, on_error=self.errors.append)
        fallback = {"type": "chat", "template": [{"role": "system", "content": "Help {{who}}"}], "variables": [{"name": "who"}]}
        p = c.get_prompt("support", fallback=fallback)
        self.assertEqual(p.render({"who": "Ada"}), [{"role": "system", "content": "Help Ada"}])
        with self.assertRaises(LecternValidationError) as e:
            p.render({"who": 1})
        self.assertEqual(e.exception.invalid, [{"name": "who", "expected": "string", "got": "number"}])

    def test_bootstrap_snapshot_serves_without_the_server(self):
        c = self.client()
        c.get_prompt("greet")
        path = os.path.join(tempfile.mkdtemp(), "snapshot.json")
        c.save_snapshot(path)
        with open(path) as f:
            self.assertEqual(json.load(f)["format"], "lectern.snapshot/1")
        offline = Lectern("http://127.0.0.1:9", KEY, push=False, bootstrap=path, on_error=self.errors.append)
        p = offline.get_prompt("greet")
        self.assertEqual((p.version, p.source), (1, "bootstrap"))
        self.assertEqual(p.render({"name": "Ada"}), "Hello Ada!")
        with self.assertRaises(LecternError):
            Lectern(self.fake.url, KEY, bootstrap={"format": "other"})

    def test_telemetry_attributes(self):
        p = self.client().get_prompt("greet", subject="u-1")
        self.assertEqual(
            p.telemetry(variables={"name": "Åsa"}),
            {
                "lectern.prompt.name": "greet",
                "lectern.prompt.version": 1,
                "lectern.environment": "production",
                "lectern.subject": "u-1",
                "lectern.variables": '{"name":"Åsa"}',
            },
        )

    def test_composition_in_event_fields_and_telemetry(self):
        composition = {
            "prompt": {"name": "greet", "version": 1},
            "partials": [{"name": "a-b", "version": 10}, {"name": "a", "version": 2}, {"name": "a", "version": 10}],
        }
        response = {"name": "greet", "version": 1, "environment": "production", "type": "text", "template": "Hi"}
        p = Prompt(dict(response, variables=[], composition=composition), "network")
        self.assertEqual(p.composition, composition)
        self.assertEqual(p.event_fields("u")["partials"], "a@2,a@10,a-b@10")
        self.assertEqual(p.telemetry()["lectern.prompt.partials"], "a@2,a@10,a-b@10")

    def test_track_batches_and_flush(self):
        c = self.client(flush_interval=3600)
        p = c.get_prompt("greet")
        for i in range(3):
            c.track(dict(p.event_fields("user-%d" % i), type="outcome", name="resolved", value=True))
        self.assertEqual(self.fake.posted, [])
        self.assertTrue(c.flush())
        self.assertEqual(len(self.fake.posted), 1)
        events = self.fake.posted[0]["events"]
        self.assertEqual([e["subject"] for e in events], ["user-0", "user-1", "user-2"])
        self.assertEqual({e["prompt"] for e in events}, {"greet"})
        self.assertEqual(len({e["id"] for e in events}), 3)
        self.assertTrue(all(e["at"].endswith("Z") for e in events))
        # 100 queued events are sent without waiting for the interval.
        for i in range(100):
            c.track({"type": "metric", "name": "n", "value": i, "prompt": "greet", "version": 1, "subject": "s"})
        wait_for(lambda: len(self.fake.posted) == 2, "the batch of 100")
        self.assertEqual(len(self.fake.posted[1]["events"]), 100)
        with self.assertRaises(LecternError):
            c.track({"type": "metric", "value": float("nan")})

    def test_track_retries_and_drops_refused_events(self):
        c = self.client(flush_interval=3600)
        self.fake.event_status = [503, 422, 202]
        c.track({"type": "outcome", "prompt": "greet", "version": 1, "subject": "a", "value": True})
        c.track({"type": "bogus", "prompt": "greet", "version": 1, "subject": "b"})
        self.assertFalse(c.flush())  # 503: kept for later
        self.assertEqual(self.errors[-1].code, "unavailable")
        self.assertTrue(c.flush())  # 422 names the bad one; the other is sent again
        self.assertEqual(self.errors[-1].code, "invalid_events")
        self.assertTrue(c.flush())
        self.assertEqual([len(b["events"]) for b in self.fake.posted], [2, 2, 1])
        self.assertEqual(self.fake.posted[2]["events"][0]["subject"], "a")

    def test_offline_needs_no_url_or_key_and_serves_fallbacks(self):
        c = Lectern("", "", offline=True, on_error=self.errors.append)
        self.clients.append(c)
        p = c.get_prompt("greet", fallback="Hi {{name}}")
        self.assertEqual((p.version, p.source, p.render({"name": "Ada"})), (0, "fallback", "Hi Ada"))
        self.assertEqual(self.errors[-1].code, "fallback")
        self.assertIn("offline", str(self.errors[-1]))
        with self.assertRaises(LecternError) as e:
            c.get_prompt("greet")
        self.assertEqual(e.exception.code, "offline")
        c.track({"type": "metric", "prompt": "greet", "version": 0, "subject": "u", "name": "n", "value": 1})
        self.assertTrue(c.flush())
        self.assertEqual(self.fake.requests, [])

    def test_track_sends_what_is_queued_when_the_interpreter_exits(self):
        # atexit runs on a script's end, sys.exit() and an uncaught exception (not on os._exit() or a signal,
        # which the README says); the events are sent before the interpreter goes.
        script = (
            "import sys\n"
            "from lectern import Lectern\n"
            "c = Lectern(sys.argv[1], sys.argv[2], push=False, flush_interval=3600)\n"
            "for i in range(5):\n"
            "    c.track({'type': 'feedback', 'prompt': 'greet', 'version': 1, 'subject': sys.argv[3] + str(i), 'value': 1})\n"
            "if sys.argv[3] == 'exit-': sys.exit(0)\n"
            "if sys.argv[3] == 'raise-': raise RuntimeError('the script failed')\n"
        )
        src = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src")
        for prefix in ("end-", "exit-", "raise-"):
            subprocess.run(
                [sys.executable, "-c", script, self.fake.url, KEY, prefix],
                env=dict(os.environ, PYTHONPATH=src),
                capture_output=True,
                timeout=60,
            )
        subjects = sorted(e["subject"] for b in self.fake.posted for e in b["events"])
        self.assertEqual(subjects, sorted(p + str(i) for p in ("end-", "exit-", "raise-") for i in range(5)))

    def test_rejects_bad_options(self):
        with self.assertRaises(LecternError):
            Lectern("ftp://x", KEY)
        with self.assertRaises(LecternError):
            Lectern(self.fake.url, "")
        with self.assertRaises(LecternError):
            Lectern(self.fake.url, KEY, cache_ttl=-1)


class JavaScriptValuesTest(unittest.TestCase):
    """What JSON cannot carry into the shared table: Python floats, tuples, NaN."""

    def test_python_values_print_as_the_server_prints_them(self):
        p = Lectern("http://127.0.0.1:9", KEY, push=False, on_error=lambda e: None).get_prompt(
            "x", fallback="{{a}} {{b}} {{c}} {{d}}"
        )
        self.assertEqual(p.render({"a": 1.0, "b": (1, 2.50), "c": {"x": -0.0}, "d": True}), '1 [1,2.5] {"x":0} true')
        fallback = {"type": "text", "template": "{{n}}", "variables": [{"name": "n", "type": "number"}]}
        strict = Lectern("http://127.0.0.1:9", KEY, push=False, on_error=lambda e: None).get_prompt("y", fallback=fallback)
        with self.assertRaises(LecternValidationError) as e:
            strict.render({"n": float("nan")})
        self.assertEqual(e.exception.invalid, [{"name": "n", "expected": "number", "got": "NaN"}])


if __name__ == "__main__":
    unittest.main()
