"""get_bundle with a subject against a local fake Lectern: its side of the bundle's guarded rollout (every member
new or every member live), never another subject's answer from a cache, and refused bad input."""

import unittest

from fake_lectern import KEY, FakeLectern, bucket, resolved
from lectern import Lectern, LecternError

ROLLOUT = "bundle-rollout-1"


def subject_on(arm):
    """A subject the fake puts on the given side."""
    i = 0
    while (bucket("user-%d" % i) < 0.5) != (arm == "new"):
        i += 1
    return "user-%d" % i


class BundleTest(unittest.TestCase):
    def setUp(self):
        self.fake = FakeLectern()
        p = self.fake.prompts
        p[("production", "agent/system")] = resolved("agent/system", 3, "live system", variables=[])
        p[("production", "agent/tools")] = resolved("agent/tools", 8, "live tools", variables=[])
        p[("production", "agent/style")] = resolved("agent/style", 2, "style", variables=[])
        self.fake.bundles["agent"] = ["agent/system", "agent/tools", "agent/style"]
        fresh = {
            "agent/system": resolved("agent/system", 4, "new system", variables=[]),
            "agent/tools": resolved("agent/tools", 9, "new tools", variables=[]),
        }
        self.fake.bundle_rollouts["agent"] = {"id": ROLLOUT, "share": 0.5, "fresh": fresh}
        self.lectern = Lectern(self.fake.url, KEY, push=False, on_error=lambda e: None)

    def tearDown(self):
        self.lectern.close()
        self.fake.close()

    def test_sends_the_subject_and_answers_its_side_for_every_member(self):
        subject = subject_on("new")
        b = self.lectern.get_bundle("agent", subject=subject)
        self.assertEqual(self.fake.bundle_requests(), [{"environment": "production", "subject": subject}])
        self.assertEqual((b["name"], b["subject"], b["rollout"]), ("agent", subject, {"id": ROLLOUT, "arm": "new"}))
        system, tools, style = (b["prompts"][m] for m in ("agent/system", "agent/tools", "agent/style"))
        self.assertEqual((system.version, system.rollout), (4, {"id": ROLLOUT + "/agent/system", "arm": "new"}))
        self.assertEqual(tools.render(), "new tools")
        # A member the release leaves as it is has no rollout of its own.
        self.assertEqual((style.version, style.rollout), (2, None))
        # A tracked event of a member is attributed to that member's rollout and arm.
        fields = tools.event_fields(subject)
        self.assertEqual((fields["experimentId"], fields["variant"]), (ROLLOUT + "/agent/tools", "new"))

        live = self.lectern.get_bundle("agent", subject=subject_on("live"))
        self.assertEqual(live["rollout"], {"id": ROLLOUT, "arm": "live"})
        self.assertEqual([p.version for p in live["prompts"].values()], [3, 8, 2])

    def test_200_subjects_get_consistent_sides_each_asked_of_the_server(self):
        sides = {"new": 0, "live": 0}
        for i in range(200):
            subject = "subject-%d" % i
            b = self.lectern.get_bundle("agent", subject=subject)
            arm = "new" if bucket(subject) < 0.5 else "live"
            self.assertEqual((b["rollout"]["arm"], b["subject"]), (arm, subject))
            changed = [b["prompts"][m] for m in ("agent/system", "agent/tools")]
            self.assertEqual([p.rollout["arm"] for p in changed], [arm, arm])
            self.assertEqual([p.version for p in changed], [4, 9] if arm == "new" else [3, 8])
            sides[arm] += 1
        self.assertGreater(sides["new"], 0)
        self.assertGreater(sides["live"], 0)
        self.assertEqual([q["subject"] for q in self.fake.bundle_requests()], ["subject-%d" % i for i in range(200)])
        # A bundle's answer does not reach get_prompt's cache: it asks for its own.
        p = self.lectern.get_prompt("agent/system")
        self.assertEqual((p.version, p.rollout, p.source), (3, None, "network"))

    def test_without_a_subject_answers_what_is_served(self):
        b = self.lectern.get_bundle("agent", environment="production")
        self.assertNotIn("subject", self.fake.bundle_requests()[0])
        self.assertEqual((b["rollout"], b["subject"]), (None, None))
        self.assertEqual([(p.version, p.rollout) for p in b["prompts"].values()], [(3, None), (8, None), (2, None)])

    def test_refuses_a_bad_subject_naming_the_field(self):
        for subject in ("x" * 257, "\U0001f600" * 129, 42, b"bytes"):
            with self.subTest(subject=repr(subject)[:20]):
                with self.assertRaises(LecternError) as e:
                    self.lectern.get_bundle("agent", subject=subject)
                self.assertEqual((e.exception.code, e.exception.details), ("invalid_input", {"field": "subject"}))
                self.assertIn("subject must be a string of at most 256 characters", str(e.exception))
        with self.assertRaises(LecternError) as e:
            self.lectern.get_bundle("agent", environment=7)
        self.assertEqual(e.exception.details, {"field": "environment"})
        self.assertEqual(self.fake.bundle_requests(), [])
        # 256 UTF-16 code units is the limit, as the server counts them: 128 emoji are exactly that.
        self.assertEqual(self.lectern.get_bundle("agent", subject="\U0001f600" * 128)["subject"], "\U0001f600" * 128)
        self.assertEqual(self.lectern.get_bundle("agent", subject="é" * 256)["subject"], "é" * 256)


if __name__ == "__main__":
    unittest.main()
