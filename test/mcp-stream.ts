// The MCP SDK client opens its notification stream (a GET) on its own after initializing. A test that expects a
// notification waits for that stream to have been answered — the server registers it before answering — instead
// of sleeping: this fetch, given to the SDK's transport, says when.
export function watchedStream(): { fetch: typeof fetch; opened: (deadlineMs?: number) => Promise<void> } {
  let open!: () => void;
  const answered = new Promise<void>((r) => (open = r));
  const watched: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    const isStream = res.headers.get("content-type")?.includes("text/event-stream");
    if ((init?.method ?? "GET") === "GET" && res.ok && isStream) open();
    return res;
  };
  const opened = (deadlineMs = 10_000) =>
    Promise.race([
      answered,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error("the client's notification stream was not answered")), deadlineMs).unref(),
      ),
    ]);
  return { fetch: watched, opened };
}
