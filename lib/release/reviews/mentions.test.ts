// Which handles a comment mentions, and how they resolve against the project's members.
import { describe, expect, it } from "vitest";
import { mentionHandles, mentionRuns, resolveMentions } from "./mentions";

describe("mentions", () => {
  it("finds @handles and @addresses, not addresses in prose, each once, without trailing punctuation", () => {
    expect(
      mentionHandles("@Ann, can you and @bob@acme.io look? Mail ann@acme.io. Thanks @ann. (@carol_2) @@ @. @dave."),
    ).toEqual(["ann", "bob@acme.io", "carol_2", "dave"]);
  });

  it("resolves an exact address, or a local part only one member has", () => {
    const members = [
      { userId: "1", email: "ann@acme.io", name: "Ann" },
      { userId: "2", email: "bob@acme.io", name: "Bob" },
      { userId: "3", email: "bob@other.io", name: "Bob O." },
    ];
    expect(resolveMentions(["ann", "bob@other.io", "bob", "zed"], members)).toEqual({
      mentions: [
        { id: "1", email: "ann@acme.io", name: "Ann" },
        { id: "3", email: "bob@other.io", name: "Bob O." },
      ],
      unknown: ["zed"],
      ambiguous: ["bob"],
    });
  });

  it("splits a text into plain runs and the mentions it resolved to", () => {
    const ann = { id: "1", email: "ann@acme.io", name: "Ann" };
    expect(mentionRuns("Hi @ann. and @zed", [ann])).toEqual([
      { text: "Hi " },
      { mention: ann, text: "@ann" },
      { text: ". and @zed" },
    ]);
  });
});
