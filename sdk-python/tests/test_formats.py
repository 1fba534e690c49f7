"""Rendered messages in OpenAI's and Anthropic's shapes, as the TypeScript SDK gives them
(test/fixtures/message-formats.json, checked against the TypeScript code by its own test)."""

import json
import os
import unittest

from lectern import to_anthropic, to_openai
from lectern.errors import LecternError

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "message-formats.json")


def outcome(run):
    try:
        return {"output": run()}
    except LecternError as e:
        return {"error": {"code": e.code, "message": e.message}}


class SharedFormatCases(unittest.TestCase):
    def test_every_case_matches_the_typescript_sdk(self):
        with open(FIXTURE, encoding="utf-8") as f:
            cases = json.load(f)["cases"]
        self.assertGreaterEqual(len(cases), 6)
        for case in cases:
            with self.subTest(case["label"]):
                self.assertEqual(outcome(lambda: to_openai(case["rendered"])), case["openai"])
                self.assertEqual(outcome(lambda: to_anthropic(case["rendered"])), case["anthropic"])


if __name__ == "__main__":
    unittest.main()
