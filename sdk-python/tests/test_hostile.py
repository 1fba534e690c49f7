"""A server that misbehaves: a body cut short, one sent a byte at a time, one too large, a redirect to another
origin, an endless event-stream line. Each ends in the client's own error (so a fallback applies), within the
call's timeout, and the API key never leaves the origin it was given for."""

import threading
import time
import unittest
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from fake_lectern import KEY, FakeLectern, resolved

from lectern import Lectern, LecternNetworkError
from lectern._http import MAX_ANSWER_BYTES
from lectern._updates import MAX_LINE, SseParser, SseTooLarge


class HostileServerTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeLectern()
        self.fake.prompts[("production", "greet")] = resolved("greet", 1, "Hello {{name}}!")
        self.errors = []

    def tearDown(self):
        self.fake.close()

    def client(self, **options):
        return Lectern(self.fake.url, KEY, push=False, on_error=self.errors.append, **options)

    def test_a_body_cut_short_serves_the_fallback(self):
        def cut(h):
            h.send_response(200)
            h.send_header("content-type", "application/json")
            h.send_header("content-length", "1000")
            h.end_headers()
            h.wfile.write(b'{"name": "gr')
            h.wfile.flush()
            h.close_connection = True

        self.fake.hostile = cut
        p = self.client().get_prompt("greet", fallback="Hi {{name}}")
        self.assertTrue(p.is_fallback)
        self.assertEqual(p.render({"name": "Ada"}), "Hi Ada")

    def test_timeout_bounds_the_whole_call_not_each_read(self):
        def drip(h):
            h.send_response(200)
            h.send_header("content-type", "application/json")
            h.send_header("content-length", "100")
            h.end_headers()
            try:
                for _ in range(100):
                    h.wfile.write(b" ")
                    h.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass

        self.fake.hostile = drip
        started = time.monotonic()
        with self.assertRaises(LecternNetworkError) as e:
            self.client(timeout=1).get_prompt("greet")
        self.assertEqual(e.exception.code, "timeout")
        # Each byte came within the 1 s timeout; the whole 100 would take 30 s.
        self.assertLess(time.monotonic() - started, 10)

    def test_a_body_past_the_limit_is_refused_unread(self):
        def huge(h):
            h.send_response(200)
            h.send_header("content-type", "application/json")
            h.end_headers()
            try:
                block = b" " * 65536
                for _ in range(MAX_ANSWER_BYTES // len(block) + 16):
                    h.wfile.write(block)
            except OSError:
                pass
            h.close_connection = True

        self.fake.hostile = huge
        with self.assertRaises(LecternNetworkError) as e:
            self.client(timeout=30).get_prompt("greet")
        self.assertEqual(e.exception.code, "too_large")

    def test_a_redirect_to_another_origin_is_not_followed_and_gets_no_key(self):
        seen = []

        class Other(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                seen.append(dict(self.headers))
                self.send_response(404)
                self.send_header("content-length", "0")
                self.end_headers()

        other = ThreadingHTTPServer(("127.0.0.1", 0), Other)
        threading.Thread(target=other.serve_forever, args=(0.05,), daemon=True).start()
        try:
            target = "http://localhost:%d/api/v1/prompts/resolve" % other.server_address[1]

            def redirect(h):
                h.send_response(302)
                h.send_header("location", target)
                h.send_header("content-length", "0")
                h.end_headers()

            self.fake.hostile = redirect
            p = self.client().get_prompt("greet", fallback="Hi {{name}}")
            self.assertTrue(p.is_fallback)
            self.assertEqual(seen, [])
        finally:
            other.shutdown()
            other.server_close()

    def test_an_endless_event_stream_line_ends_the_stream_in_linear_time(self):
        p = SseParser(lambda *a: None)
        chunk = "x" * 65536
        started = time.monotonic()
        with self.assertRaises(SseTooLarge):
            for _ in range(MAX_LINE // len(chunk) + 2):
                p.push(chunk)
        self.assertLess(time.monotonic() - started, 5)
        # An event of many data lines, none too long, is bounded too.
        q = SseParser(lambda *a: None)
        with self.assertRaises(SseTooLarge):
            for _ in range(MAX_LINE // 1000 + 100):
                q.push("data: " + "y" * 994 + "\n")


if __name__ == "__main__":
    unittest.main()
