"""get_skill against a local fake Lectern: a skill's files exactly as resolve answers them, a prompt refused in
words, bad options refused; get_bundle and prefetch set skills apart from prompts."""

import unittest

from fake_lectern import KEY, FakeLectern, resolved
from lectern import Lectern, LecternError

FILES = {"SKILL.md": "---\nname: refunds\ndescription: d\n---\nBody\n", "references/guide.md": "Guide \u2713\r\n"}


def skill(version, environment="production"):
    body = resolved("support/refunds", version, "", environment=environment, variables=[])
    body.pop("template")
    body.update({"type": "skill", "files": dict(FILES)})
    return body


class SkillTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeLectern()
        self.fake.prompts[("production", "support/refunds")] = skill(1)
        self.fake.prompts[("staging", "support/refunds")] = skill(2, "staging")
        self.fake.prompts[("production", "greeting")] = resolved("greeting", 1, "Hi {{name}}")
        self.lectern = Lectern(self.fake.url, KEY, push=False, on_error=lambda e: None)

    def tearDown(self):
        self.lectern.close()
        self.fake.close()

    def test_answers_the_files_as_stored(self):
        s = self.lectern.get_skill("support/refunds")
        self.assertEqual(
            s,
            {
                "name": "support/refunds",
                "folder": "refunds",
                "version": 1,
                "environment": "production",
                "live_since": None,
                "files": FILES,
            },
        )
        self.assertEqual(self.lectern.get_skill("support/refunds", environment="staging")["version"], 2)

    def test_refuses_a_prompt_and_bad_options(self):
        with self.assertRaisesRegex(LecternError, "greeting is a text prompt, not a skill: get_prompt reads it"):
            self.lectern.get_skill("greeting")
        for bad in [("", {}), ("x", {"version": 0}), ("x", {"version": True}), ("x", {"environment": ""})]:
            with self.assertRaises(LecternError):
                self.lectern.get_skill(bad[0], **bad[1])


if __name__ == "__main__":
    unittest.main()
