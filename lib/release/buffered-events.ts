// Holds events raised inside a transaction and publishes them only once it has committed.
import type { EventSink, PromptChanged } from "./events";

export class BufferedEvents implements EventSink {
  private pending: PromptChanged[] = [];
  async publish(e: PromptChanged) {
    this.pending.push(e);
  }
  async flush(to: EventSink) {
    const events = this.pending;
    this.pending = [];
    for (const e of events) await to.publish(e);
  }
}
