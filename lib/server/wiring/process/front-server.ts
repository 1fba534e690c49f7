import { processSingleton } from "../singleton";

// Whether Lectern's own server (gateway/main.ts, or the Next process it starts) is in front of this process.
// It then sets PEER_HEADER (lib/auth/client-ip.ts) to the socket's address on every request and runs the
// shutdown hooks itself. Set in the server's bundle, read in Next's: one value per process.
const state = () => processSingleton("frontServer", () => ({ inFront: false }));

/** Called by Lectern's own server before anything is served. */
export function markLecternServerInFront(): void {
  state().inFront = true;
}

export const lecternServerInFront = (): boolean => state().inFront;
