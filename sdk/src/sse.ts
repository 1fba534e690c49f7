// A Server-Sent Events parser following the HTML spec's "interpreting an event stream": text arrives
// in arbitrary chunks (a line, a field, even a \r\n pair may be split), lines end in \n, \r or \r\n,
// ":" starts a comment, and an event is dispatched at a blank line. Bounded whatever the server sends: each
// character is looked at once (a line that never ends costs linear time), and a line or an event past
// MAX_LINE or MAX_EVENT characters ends the stream with SseTooLarge.
import { LecternNetworkError } from "./errors";

export const MAX_LINE = 1024 * 1024;
export const MAX_EVENT = 1024 * 1024;

/** A line or an event of the stream past MAX_LINE or MAX_EVENT characters. */
export class SseTooLarge extends LecternNetworkError {
  constructor(what: string, limit: number) {
    super(`The event stream sent ${what} longer than ${limit.toLocaleString("en-US")} characters.`, {
      code: "too_large",
    });
  }
}

export interface SseEvent {
  /** The `event:` field, "message" when absent. */
  event: string;
  /** The `data:` lines joined by "\n". */
  data: string;
  /** The last `id:` seen on the stream so far (it carries over to later events), "" when none. */
  id: string;
}

export interface SseHandlers {
  onEvent(event: SseEvent): void;
  /** A `retry:` field: the reconnection delay the server asks for, in ms. */
  onRetry?(ms: number): void;
  onComment?(text: string): void;
}

export class SseParser {
  /** The current line's text so far, in the pieces it arrived in (joined once, when the line ends). */
  private parts: string[] = [];
  private partLength = 0;
  /** The last chunk ended in \r: a \n first in the next one is the same line end. */
  private pendingCr = false;
  private started = false;
  private data: string[] = [];
  private eventSize = 0;
  private eventType = "";
  private lastId = "";

  constructor(private readonly handlers: SseHandlers) {}

  /** The id to send as Last-Event-ID when reconnecting. */
  get lastEventId(): string {
    return this.lastId;
  }

  push(chunk: string): void {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let start = 0;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (chunk.charCodeAt(0) === 10) start = 1;
    }
    const n = chunk.length;
    for (let i = start; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.endLine(chunk.slice(start, i));
      if (c === 13) {
        if (i + 1 === n) this.pendingCr = true;
        else if (chunk.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    if (start < n) {
      this.partLength += n - start;
      if (this.partLength > MAX_LINE) throw this.tooLarge("a line", MAX_LINE);
      this.parts.push(chunk.slice(start));
    }
  }

  /** The stream ended: a line without its end and an event without its blank line are dropped (per spec). */
  end(): void {
    this.parts = [];
    this.partLength = 0;
    this.pendingCr = false;
    this.data = [];
    this.eventSize = 0;
    this.eventType = "";
  }

  private endLine(tail: string): void {
    let line = tail;
    if (this.parts.length) {
      if (this.partLength + tail.length > MAX_LINE) throw this.tooLarge("a line", MAX_LINE);
      line = this.parts.join("") + tail;
      this.parts = [];
      this.partLength = 0;
    } else if (line.length > MAX_LINE) throw this.tooLarge("a line", MAX_LINE);
    this.line(line);
  }

  private tooLarge(what: string, limit: number): SseTooLarge {
    this.end();
    return new SseTooLarge(what, limit);
  }

  private line(line: string): void {
    if (line === "") return this.dispatch();
    if (line.charCodeAt(0) === 58 /* : */) {
      this.handlers.onComment?.(line.slice(1).trimStart());
      return;
    }
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case "data":
        this.eventSize += value.length + 1;
        if (this.eventSize > MAX_EVENT) throw this.tooLarge("an event", MAX_EVENT);
        this.data.push(value);
        break;
      case "event":
        this.eventType = value;
        break;
      case "id":
        if (!value.includes("\u0000")) this.lastId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
      default:
      // Unknown fields are ignored.
    }
  }

  private dispatch(): void {
    const data = this.data;
    const type = this.eventType;
    this.data = [];
    this.eventSize = 0;
    this.eventType = "";
    if (data.length === 0) return;
    this.handlers.onEvent({ event: type || "message", data: data.join("\n"), id: this.lastId });
  }
}
