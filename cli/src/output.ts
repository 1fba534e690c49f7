// Everything the CLI prints. Human mode writes lines as it goes (problems to stderr); --json collects
// and prints one JSON document at the end, on stdout, and nothing else there. On GitHub Actions,
// problems with a file are also printed as workflow annotations so they show on the pull request.
import type { FileProblem } from "./prompt-file";

export interface Writer {
  write(s: string): void;
}

const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const plain = (s: string) => s;

export class Output {
  readonly warnings: FileProblem[] = [];
  readonly problems: FileProblem[] = [];
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;

  constructor(
    readonly json: boolean,
    private readonly stdout: Writer,
    private readonly stderr: Writer,
    opts: { color: boolean; annotations: boolean },
  ) {
    const c = opts.color && !json;
    this.red = c ? ansi(31) : plain;
    this.green = c ? ansi(32) : plain;
    this.yellow = c ? ansi(33) : plain;
    this.dim = c ? ansi(2) : plain;
    this.bold = c ? ansi(1) : plain;
    this.annotations = opts.annotations && !json;
  }

  private readonly annotations: boolean;

  /** A line of human output (stdout); dropped with --json. */
  line(s = ""): void {
    if (!this.json) this.stdout.write(`${s}\n`);
  }

  /** Human output that goes to stderr (progress, notes), so stdout can be piped. */
  note(s: string): void {
    if (!this.json) this.stderr.write(`${s}\n`);
  }

  problem(p: FileProblem): void {
    this.problems.push(p);
    if (this.json) return;
    this.stderr.write(`${this.red("✗")} ${where(p)}${p.message}\n`);
    if (this.annotations) this.stdout.write(annotation("error", p));
  }

  warn(p: FileProblem): void {
    this.warnings.push(p);
    if (this.json) return;
    this.stderr.write(`${this.yellow("!")} ${where(p)}${p.message}\n`);
    if (this.annotations) this.stdout.write(annotation("warning", p));
  }

  /** The one JSON document of --json mode. */
  document(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }
}

export const where = (p: FileProblem) => `${p.file}${p.line ? `:${p.line}` : ""}: ${p.field ? `${p.field}: ` : ""}`;

const escapeData = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function annotation(kind: "error" | "warning", p: FileProblem): string {
  const props = [
    `file=${escapeProperty(p.file)}`,
    ...(p.line ? [`line=${p.line}`] : []),
    `title=${escapeProperty(`lectern${p.field ? `: ${p.field}` : ""}`)}`,
  ];
  return `::${kind} ${props.join(",")}::${escapeData(p.message)}\n`;
}
