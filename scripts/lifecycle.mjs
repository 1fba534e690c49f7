// What `npm run dev` and `npm start` share about the processes they start.
import { readFileSync } from "node:fs";

/**
 * Calls `onGone` once the command that started this process is gone. npm runs a script as
 * `npm → sh -c … → node`; a SIGTERM to npm ends npm and the shell but never reaches node, which ran on
 * with no parent, holding its port (and, for `next dev`, its own child). So this process watches its
 * parent and, when npm started it, npm too (its grandparent), once a second.
 */
export function whenParentGone(onGone) {
  const watched = [process.ppid];
  const grandparent = parentOf(process.ppid);
  if (grandparent && grandparent > 1 && isNpm(grandparent)) watched.push(grandparent);
  const timer = setInterval(() => {
    // Reparented (to init or a subreaper) means the parent has ended.
    if (process.ppid !== watched[0] || !watched.every(alive)) {
      clearInterval(timer);
      onGone();
    }
  }, 1000);
  timer.unref();
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/** Whether the process is npm (its title is "npm run …", "npm start"), on Linux. */
function isNpm(pid) {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return argv.some((a, i) => i < 2 && /(^|\/)npm(-cli\.js)?( |$)/.test(a));
  } catch {
    return false;
  }
}

/** A process's parent on Linux (/proc); undefined elsewhere. */
function parentOf(pid) {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}
