// npm run demo:traffic -- [--url URL] [--key lk_rt_…] [--subjects 2400] …
//
// Drives the demo project's running experiment (support-reply in staging) through the real HTTP APIs,
// as an application would: each simulated user resolves the prompt with their subject (the server
// assigns the variant and records the exposure), then the app reports a generation (latency, tokens,
// cost, the variables it rendered and the answer it got) and, for most users, a thumbs up or down. The
// non-control variants have a TRUE effect (more thumbs up, shorter and cheaper answers; --better names
// the one arm that has it instead), so the dashboard fills and reaches a verdict. Without a running
// experiment it feeds what the environment serves; --regress makes that version answer badly, to
// watch online evaluation roll it back. Events are dated within the experiment (or since the version
// went live), never before; except each user's history: a few thumbs on the control in the days before
// the experiment started (no experiment named, so they stay history), which CUPED takes as the covariate.
// Users differ in how easily they give a thumbs up, before and during the experiment alike.
//
// A runtime key comes from --key or LECTERN_DEMO_KEY; without one, the script creates a runtime key
// with the admin key (--admin-key or LECTERN_BOOTSTRAP_ADMIN_KEY).
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { serverUrl } from "../lib/server/wiring/process/server-file";
import { behaviours, historyEvents, seededRandom, tastes, userEvents } from "../lib/setup/demo-users";

const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    key: { type: "string" },
    "admin-key": { type: "string" },
    prompt: { type: "string", default: "support-reply" },
    environment: { type: "string", default: "staging" },
    subjects: { type: "string", default: "2400" },
    seconds: { type: "string", default: "45" },
    hours: { type: "string", default: "12" },
    "feedback-rate": { type: "string", default: "0.7" },
    better: { type: "string" },
    regress: { type: "boolean", default: false },
    seed: { type: "string" },
    history: { type: "string", default: "4" },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (args.help) {
  console.log(`Usage: npm run demo:traffic -- [options]
  --url URL              Lectern's address (default: NEXTAUTH_URL; else http://localhost:$PORT; else the
                         server running from this folder, found in LECTERN_DATA_DIR/server.json; else :3000)
  --key KEY              a runtime API key (or LECTERN_DEMO_KEY)
  --admin-key KEY        an admin key to create a runtime key with (or LECTERN_BOOTSTRAP_ADMIN_KEY)
  --prompt NAME          the prompt whose running experiment to feed (default support-reply)
  --environment NAME     its environment (default staging)
  --subjects N           simulated users (default 2400)
  --seconds S            spread the traffic over about S seconds, so you can watch it arrive (default 45; 0 = as fast as possible)
  --hours H              date the events over the past H hours, but never before the experiment started
                         (or the version went live), so "lift over time" has a history (default 12; 0 = now)
  --feedback-rate R      share of users who give a thumbs up or down (default 0.7)
  --better KEY           the one arm with the true effect (default: every arm but the control)
  --regress              the version the environment serves answers badly (long, no next step, thumbs down):
                         watch online evaluation roll it back (works with or without an experiment)
  --history N            thumbs per user in the 10 days before the experiment started, for CUPED (default 4;
                         0 = none; skipped when the experiment started more than 10 days ago)
  --seed S               reproduce a run's simulated behaviour`);
  process.exit(0);
}

const target = serverUrl({
  explicit: args.url,
  dataDir: process.env.LECTERN_DATA_DIR || "./.data",
  env: { NEXTAUTH_URL: process.env.NEXTAUTH_URL, PORT: process.env.PORT },
});
const base = target.url;
const subjects = Math.max(1, Math.min(1_000_000, Number(args.subjects) || 2400));
const seconds = Math.max(0, Number(args.seconds) || 0);
const hours = Math.max(0, Number(args.hours) || 0);
const feedbackRate = Math.max(0, Math.min(1, Number(args["feedback-rate"])));
const run = args.seed ?? randomBytes(3).toString("hex");
const historyPerUser = Math.max(0, Math.min(20, Math.floor(Number(args.history) || 0)));
const DAY = 86_400_000;

// The same --seed simulates the same users.
const { random, normal } = seededRandom(run);

async function call(method: string, path: string, key: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) {
    const err = (json.error ?? {}) as { message?: string };
    throw new Error(`${method} ${path} → ${res.status}: ${err.message ?? text.slice(0, 300)}`);
  }
  return json;
}

async function runtimeKey(): Promise<string> {
  const given = args.key ?? process.env.LECTERN_DEMO_KEY;
  if (given) return given;
  const admin = args["admin-key"] ?? process.env.LECTERN_BOOTSTRAP_ADMIN_KEY;
  if (!admin) {
    console.error(
      "No API key. Pass a runtime key (--key or LECTERN_DEMO_KEY; create one in Settings → API keys),\nor an admin key to create one with (--admin-key or LECTERN_BOOTSTRAP_ADMIN_KEY).",
    );
    process.exit(2);
  }
  const created = (await call("POST", "/api/v1/api-keys", admin, {
    name: `demo traffic ${run}`,
    scope: "runtime",
  })) as { key: string; name: string };
  console.log(
    `Created the runtime key "${created.name}" with the admin key (revoke it in Settings → API keys when you are done).`,
  );
  return created.key;
}

type Resolved = {
  version: number;
  liveSince: string | null;
  experiment: { id: string; variant: string; phase: number } | null;
  experimentDefinition?: {
    id: string;
    phase: number;
    phaseStartedAt?: string;
    variants: { key: string; version: number; weight: number }[];
  };
};

async function main() {
  console.log(
    `Lectern at ${base} (from ${target.source}); feeding ${args.prompt} in ${args.environment} (run ${run}).`,
  );
  const key = await runtimeKey();
  const project = (await call("GET", "/api/v1/project", key)) as { slug: string; name: string };
  const q = (extra: string) =>
    `/api/v1/prompts/resolve?name=${encodeURIComponent(args.prompt)}&environment=${encodeURIComponent(args.environment)}${extra}`;
  const probe = (await call("GET", q("&include=experiment"), key)) as Resolved;
  // Without an experiment, the one "arm" is what the environment serves.
  const def = probe.experimentDefinition ?? {
    id: null,
    phase: 0,
    phaseStartedAt: probe.liveSince ?? undefined,
    variants: [{ key: "live", version: probe.version, weight: 1 }],
  };
  if (!probe.experimentDefinition)
    console.log(
      `No experiment runs on ${args.prompt} in ${args.environment}: feeding version ${probe.version}, which it serves.`,
    );
  const control = def.variants[0]!.key;
  const better = args.better ?? null;
  if (better !== null && !def.variants.some((v) => v.key === better)) {
    console.error(`--better ${better}: the arms are ${def.variants.map((v) => v.key).join(", ")}.`);
    process.exit(2);
  }
  const behaviourOf = (variant: string) =>
    variant === control && args.regress
      ? "regressed"
      : (better === null ? variant !== control : variant === better)
        ? "better"
        : "today";
  const behaviour = (variant: string) => behaviours[behaviourOf(variant)];
  if (def.id)
    console.log(
      `Experiment ${def.id} (phase ${def.phase}): ${def.variants.map((v) => `${v.key} = v${v.version} (${Math.round(v.weight * 100)}%)`).join(", ")}.`,
    );
  // Never before the experiment started (or the version went live): its data would not be its own.
  const since = def.phaseStartedAt ? Date.parse(def.phaseStartedAt) : 0;
  const firstAt = Math.max(Date.now() - hours * 3_600_000, since);
  for (const v of def.variants) {
    const b = behaviour(v.key);
    console.log(
      `  true behaviour of ${v.key}: ${Math.round(b.thumbsUp * 100)}% thumbs up, ~${b.outputTokens} output tokens, ~${b.latencyMs} ms`,
    );
  }
  console.log(
    `${subjects} users: each resolves the prompt with its subject (the server assigns the variant), then reports a generation and, ${Math.round(feedbackRate * 100)}% of them, a thumbs up or down.`,
  );
  if (hours && firstAt < Date.now() - 60_000)
    console.log(
      `Events are dated from ${new Date(firstAt).toISOString()} to now so the lift-over-time chart has a history (--hours 0 dates them now).`,
    );
  console.log(
    def.id
      ? `Watch it fill: ${base}/${project.slug}/experiments/${def.id}\n`
      : `Watch it: ${base}/${project.slug}/online/${args.prompt}?environment=${args.environment}\n`,
  );

  // How easily each user gives a thumbs up, the same before and during the experiment: what CUPED uses.
  const taste = tastes(subjects, normal);
  // History within CUPED's look-back (14 days before exposure, which is now) and before the start.
  if (def.id && historyPerUser && since > Date.now() - 10 * DAY) {
    const history = historyEvents({
      run,
      prompt: args.prompt,
      environment: args.environment,
      version: def.variants[0]!.version,
      since,
      perUser: historyPerUser,
      taste,
      random,
    });
    for (let from = 0; from < history.length; from += 1000)
      await call("POST", "/api/v1/events", key, { events: history.slice(from, from + 1000) });
    console.log(
      `Sent ${history.length} thumbs from before the experiment started (${historyPerUser} per user, on ${control}): CUPED's history.`,
    );
  } else if (def.id && historyPerUser)
    console.log(
      "The experiment started more than 10 days ago: no history sent (it would fall outside CUPED's look-back).",
    );

  const started = Date.now();
  const batch = 100;
  const tally = new Map<string, { users: number; feedback: number; up: number }>(
    def.variants.map((v) => [v.key, { users: 0, feedback: 0, up: 0 }]),
  );
  let pending: Record<string, unknown>[] = [];
  const flush = async () => {
    while (pending.length) {
      const chunk = pending.splice(0, 1000);
      await call("POST", "/api/v1/events", key, { events: chunk });
    }
  };
  for (let from = 0; from < subjects; from += batch) {
    const ids = Array.from({ length: Math.min(batch, subjects - from) }, (_, i) => from + i);
    const answers = await Promise.all(
      ids.map((i) => call("GET", q(`&subject=demo-${run}-${i}`), key) as Promise<Resolved>),
    );
    answers.forEach((a, j) => {
      const i = ids[j]!;
      const subject = `demo-${run}-${i}`;
      const variant = a.experiment?.variant ?? control;
      const at = new Date(firstAt + (Date.now() - firstAt) * (i / subjects)).toISOString();
      const common = {
        prompt: args.prompt,
        version: a.version,
        environment: args.environment,
        subject,
        at,
        ...(a.experiment ? { experimentId: a.experiment.id, variant, phase: a.experiment.phase } : {}),
      };
      const user = userEvents({
        id: subject,
        i,
        kind: behaviourOf(variant),
        common,
        taste: taste[i]!,
        feedbackRate,
        random,
        normal,
      });
      pending.push(...user.events);
      const t = tally.get(variant)!;
      t.users++;
      if (user.thumbs !== null) {
        t.feedback++;
        t.up += user.thumbs;
      }
    });
    if (pending.length >= 500 || from + batch >= subjects) await flush();
    const done = Math.min(subjects, from + batch);
    const line = [...tally]
      .map(([k, t]) => `${k} ${t.users} users, ${t.feedback ? Math.round((100 * t.up) / t.feedback) : 0}% 👍`)
      .join(" · ");
    console.log(`${String(done).padStart(String(subjects).length)}/${subjects}  ${line}`);
    // Pace the run so the dashboard (which refreshes every 10 s) visibly fills.
    const due = started + (seconds * 1000 * done) / subjects;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  }
  console.log(
    def.id
      ? `\nDone in ${Math.round((Date.now() - started) / 100) / 10} s. Open ${base}/${project.slug}/experiments/${def.id} for the verdict;`
      : `\nDone in ${Math.round((Date.now() - started) / 100) / 10} s. Online evaluation scores the sampled answers on its next run;`,
  );
  console.log("exposures recorded by the resolve calls are written within a second or two.");
}

main().catch((e: unknown) => {
  // fetch says only "fetch failed"; its cause says why (ECONNREFUSED: nothing listens there).
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause.message : undefined;
  console.error(
    cause
      ? `Cannot reach Lectern at ${base} (from ${target.source}): ${cause}. Is it running? --url or PORT says where.`
      : e instanceof Error
        ? e.message
        : e,
  );
  process.exit(1);
});
