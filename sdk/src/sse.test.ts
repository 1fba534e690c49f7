import { describe, expect, it } from "vitest";
import { SseParser, type SseEvent } from "./sse";

function parse(chunks: string[]) {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const comments: string[] = [];
  const p = new SseParser({
    onEvent: (e) => events.push(e),
    onRetry: (ms) => retries.push(ms),
    onComment: (c) => comments.push(c),
  });
  for (const c of chunks) p.push(c);
  return { events, retries, comments, parser: p };
}

/** Every way of cutting a text into two chunks. */
const splits = (text: string) => Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);

const stream =
  "retry: 2000\n: connected\n\n" +
  'id: 23\nevent: prompt.changed\ndata: {"name":"a","environment":null,"version":2}\n\n' +
  ": heartbeat 2026-11-21T00:00:00Z\n\n" +
  'id: 24\nevent: prompt.changed\ndata: {"name":"a","environment":"production","version":2}\n\n';

describe("SseParser", () => {
  it("parses events, ids, comments and retry", () => {
    const { events, retries, comments, parser } = parse([stream]);
    expect(events).toEqual([
      { event: "prompt.changed", data: '{"name":"a","environment":null,"version":2}', id: "23" },
      { event: "prompt.changed", data: '{"name":"a","environment":"production","version":2}', id: "24" },
    ]);
    expect(retries).toEqual([2000]);
    expect(comments).toEqual(["connected", "heartbeat 2026-11-21T00:00:00Z"]);
    expect(parser.lastEventId).toBe("24");
  });

  it("gives the same events however the stream is split into chunks", () => {
    const whole = parse([stream]).events;
    for (const [a, b] of splits(stream)) expect(parse([a!, b!]).events).toEqual(whole);
    expect(parse([...stream]).events).toEqual(whole); // one character at a time
  });

  it.each([
    ["\\n", "\n"],
    ["\\r\\n", "\r\n"],
    ["\\r", "\r"],
  ])("accepts %s line endings, also when a line ending is split across chunks", (_, eol) => {
    const text = ["id: 1", "event: prompt.changed", "data: x", "", "data: y", "", ""].join(eol);
    const expected = [
      { event: "prompt.changed", data: "x", id: "1" },
      { event: "message", data: "y", id: "1" },
    ];
    for (const [a, b] of splits(text)) {
      const r = parse([a!, b!]);
      r.parser.end();
      expect(r.events).toEqual(expected);
    }
  });

  it("joins multi-line data with \\n and strips one leading space only", () => {
    const { events } = parse(["data: line one\ndata:  two\ndata\ndata:three\n\n"]);
    expect(events).toEqual([{ event: "message", data: "line one\n two\n\nthree", id: "" }]);
  });

  it("does not dispatch an event without data, nor an unterminated one", () => {
    const r = parse(["event: prompt.changed\n\n", "id: 5\n\n", "data: cut off"]);
    r.parser.end();
    expect(r.events).toEqual([]);
    expect(r.parser.lastEventId).toBe("5");
  });

  it("keeps the last id for later events, lets an empty id reset it, and ignores ids containing NUL", () => {
    const { events } = parse(["id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 9\u00000\ndata: d\n\n"]);
    expect(events.map((e) => e.id)).toEqual(["7", "7", "", ""]);
  });

  it("ignores unknown fields, a non-numeric retry, and a leading byte-order mark", () => {
    const { events, retries } = parse(["\uFEFFfoo: bar\nretry: soon\nretry: 150\ndata: ok\n\n"]);
    expect(events).toEqual([{ event: "message", data: "ok", id: "" }]);
    expect(retries).toEqual([150]);
  });
});
