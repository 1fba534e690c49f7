// Work that may wait, in slices, behind the work that may not: batch answers are made one prompt at a time, each
// slice in its own turn of the event loop, so a resolve that arrives while ten batches are being made is
// answered after at most one slice, not after all of them (docs/decisions/bounded-work.md: ten clients asking for every
// prompt held another prompt's resolve at p99 709 ms). One lane per process: however many batches wait, one slice runs
// per turn, and the turns in between belong to whatever else arrived.
export class WorkLane {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  /** Resolves in a later turn of the event loop, after the I/O that arrived meanwhile; one waiter per turn. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  /** Slices waiting for their turn (tests, the bench). */
  get queued(): number {
    return this.waiting.length;
  }

  private schedule() {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    // setImmediate runs after the poll phase (incoming requests); one queued from its own callback waits for the
    // next turn of the loop, so each slice is followed by a poll for I/O.
    setImmediate(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      this.schedule();
    });
  }
}
