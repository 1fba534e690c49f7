// For the SDK's unit tests: a fresh fake Lectern for every test, and clients on it that are closed after
// the test and report their errors into `errors` (emptied before each test) unless `defaults` say otherwise.
import { afterEach, beforeEach } from "vitest";
import { createClient } from "../src/client";
import type { ClientOptions, LecternClient } from "../src/types";
import { startFakeLectern, type FakeLectern } from "./fake-server";

export function fakeLecternEachTest(defaults: Partial<ClientOptions> & { apiKey: string }) {
  const clients: LecternClient[] = [];
  const each = {
    /** This test's server. */
    fake: undefined as unknown as FakeLectern,
    errors: [] as Error[],
    /** A client of this test's server, with `defaults`, then `opts`. */
    client(opts: Partial<ClientOptions> = {}) {
      const c = createClient({ baseUrl: each.fake.url, onError: (e) => each.errors.push(e), ...defaults, ...opts });
      clients.push(c);
      return c;
    },
  };
  beforeEach(async () => {
    each.fake = await startFakeLectern();
    each.errors.length = 0;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await each.fake.close();
  });
  return each;
}
