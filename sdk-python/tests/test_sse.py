"""The event-stream parser: text split anywhere, every line ending, comments, ids and retry."""

import unittest

from lectern._updates import SseParser, parse_change


class SseParserTest(unittest.TestCase):
    def parse(self, chunks):
        events, retries = [], []
        p = SseParser(lambda kind, data, last_id: events.append((kind, data, last_id)), retries.append)
        for c in chunks:
            p.push(c)
        p.end()
        return events, retries, p.last_id

    def test_events_split_across_chunks_with_every_line_ending(self):
        text = "\ufeff: hello\r\nretry: 250\n\nid: 7\revent: prompt.changed\r\ndata: {\"a\":\ndata: 1}\r\n\r\ndata: plain\n\n"
        whole = self.parse([text])
        for size in (1, 2, 3, 7):
            chunks = [text[i : i + size] for i in range(0, len(text), size)]
            self.assertEqual(self.parse(chunks), whole, size)
        events, retries, last_id = whole
        self.assertEqual(events, [("prompt.changed", '{"a":\n1}', "7"), ("message", "plain", "7")])
        self.assertEqual((retries, last_id), ([250], "7"))

    def test_an_event_without_its_blank_line_is_dropped(self):
        events, _, _ = self.parse(["data: x\n\ndata: cut"])
        self.assertEqual(events, [("message", "x", "")])

    def test_ignores_bad_fields(self):
        events, retries, last_id = self.parse(["retry: soon\nid: a\0b\nfoo: bar\ndata:x\n\n"])
        self.assertEqual((events, retries, last_id), ([("message", "x", "")], [], ""))

    def test_parse_change(self):
        self.assertEqual(parse_change('{"name":"a","environment":null,"version":2}')["version"], 2)
        self.assertIsNone(parse_change('{"name":1}'))
        self.assertIsNone(parse_change('{"name":"a","environment":3}'))
        self.assertIsNone(parse_change("not json"))


if __name__ == "__main__":
    unittest.main()
