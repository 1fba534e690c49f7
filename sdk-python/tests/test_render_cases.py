"""The render cases shared with the TypeScript SDK (test/fixtures/render-cases.json): the same template,
variables and values give the same text, or the same error code, message and details."""

import json
import os
import unittest

from lectern._render import render_content
from lectern.errors import LecternError

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "test", "fixtures", "render-cases.json")


def load_cases():
    with open(FIXTURE, encoding="utf-8") as f:
        return json.load(f)["cases"]


def outcome(case):
    content = {"type": case["type"], "template": case["template"], "variables": case["variables"]}
    partials = {k: p["template"] for k, p in case["partials"].items()}
    declared = {k: p["variables"] for k, p in case["partials"].items()}
    try:
        return {"output": render_content(content, case["values"], partials, declared)}
    except LecternError as e:
        return {"error": {"code": e.code, "message": e.message, "details": e.details}}


class SharedRenderCases(unittest.TestCase):
    def test_every_case_matches_the_server(self):
        cases = load_cases()
        self.assertGreaterEqual(len(cases), 40)
        for case in cases:
            with self.subTest(case["label"]):
                self.assertEqual(outcome(case), case["expected"])

    def test_the_table_exercises_both_outcomes(self):
        kinds = [next(iter(c["expected"])) for c in load_cases()]
        self.assertGreaterEqual(kinds.count("error"), 10)
        self.assertGreaterEqual(kinds.count("output"), 30)


if __name__ == "__main__":
    unittest.main()
