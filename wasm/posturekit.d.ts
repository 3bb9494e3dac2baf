// Types of globalThis.posturekit, set by posturekit.wasm (wasm/main.go).
// Hand-written: keep in step with wasm/main.go and internal/command.

/** The names of the commands of the browser build. */
export type CommandName =
  | "headers build"
  | "headers csp"
  | "headers grade"
  | "headers validate"
  | "kit"
  | "mtasts build"
  | "mtasts validate"
  | "record validate"
  | "ttl"
  | "ttl delegation"
  | "ttl negative"
  | "ttl plan";

/** A flag value as typed on the command line; numbers and booleans are written as the command line would read them. */
export type Scalar = string | number | boolean;

/**
 * The input of a command. Flags are keyed by their long name with "-"
 * written "_" (--max-age is max_age); a repeatable flag takes an array or a
 * single value; null, undefined and an empty array leave the default.
 */
export interface Input {
  /** The positional arguments, e.g. ["spf", "v=spf1 -all"] for "record validate". */
  args?: Scalar[] | Scalar;
  /**
   * The text of the files the command reads and of standard input ("-"):
   * one string for every name, or an object of names to texts (for
   * "headers grade" with html, or several pages for "headers csp").
   */
  input?: string | Record<string, string>;
  [flag: string]: Scalar | Scalar[] | Record<string, string> | null | undefined;
}

/** A finding, as the Go packages' JSON tags name its fields. */
export interface Finding {
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  line?: number;
  where?: string;
  header?: string;
  rfc?: string;
  fix?: string;
}

/** What a command produced. */
export interface Result<T = unknown> {
  /** Exactly the JSON "posturekit COMMAND --json" prints for the same input, parsed. */
  data: T;
  /** What the command line prints without --json. */
  text: string;
  /** True when a finding has severity error (the command line exits with 1). */
  failed: boolean;
  error?: never;
}

/** Why a command produced nothing. */
export interface Failure {
  error: {
    /**
     * usage: bad input (the command line exits with 2 and a usage message);
     * unknown_command: no such command in this build;
     * error: an operational failure;
     * panic: a bug, recovered (please report it).
     */
    code: "usage" | "unknown_command" | "error" | "panic";
    /** One line for people, naming the command and the flag or input at fault. */
    message: string;
  };
  data?: never;
  text?: never;
  failed?: never;
}

/** The result of "mtasts validate". */
export interface MTASTSValidateData {
  valid: boolean;
  policy?: MTASTSPolicy;
  record?: MTASTSRecord;
  findings: Finding[];
}

/** The result of "mtasts build". */
export interface MTASTSBuildData {
  valid: boolean;
  domain?: string;
  policy_url?: string;
  /** The policy file as published: CRLF line endings. */
  policy_text: string;
  policy: MTASTSPolicy;
  record_name?: string;
  record_text: string;
  record: MTASTSRecord;
  findings: Finding[];
}

export interface MTASTSPolicy {
  version: string;
  mode: "enforce" | "testing" | "none";
  mx: string[];
  max_age: number;
}

export interface MTASTSRecord {
  version: string;
  id: string;
}

/** The result of "record validate". */
export interface RecordValidateData {
  valid: boolean;
  kind: string;
  /** The parsed record; its shape depends on the kind. */
  record?: unknown;
  findings: Finding[];
}

/** The result of "headers csp". */
export interface HeadersCSPData {
  /** The Content-Security-Policy header value. */
  policy: string;
  csp: unknown;
  pages: number;
  bytes: number;
  inline_scripts: number;
  inline_styles: number;
  event_handlers: number;
  style_attributes: number;
  findings: Finding[];
}

/** The result of "ttl", "ttl delegation" and "ttl negative" (fields of ttlcalc.Report). */
export interface TTLData {
  population: string;
  assumption?: string;
  /** The SVG plot, with svg: "-". */
  svg?: string;
  [field: string]: unknown;
}

/** The data of each command; the fields are those of the Go types' JSON tags. */
export interface DataOf {
  "mtasts validate": MTASTSValidateData;
  "mtasts build": MTASTSBuildData;
  "record validate": RecordValidateData;
  "headers csp": HeadersCSPData;
  "ttl": TTLData;
  "ttl delegation": TTLData;
  "ttl negative": TTLData;
  [command: string]: unknown;
}

export interface Posturekit {
  /** Resolves to this object once the Go program is up. */
  ready: Promise<Posturekit>;
  /**
   * Runs a command, synchronously. It never throws: bad input, unknown
   * commands and recovered panics come back as {error}.
   */
  run<C extends string>(command: C, input?: Input): Result<C extends keyof DataOf ? DataOf[C] : unknown> | Failure;
  /** The commands of this build, sorted. */
  readonly commands: CommandName[];
  /** The module version and VCS revision the build was stamped with. */
  readonly version: string;
}

declare global {
  // eslint-disable-next-line no-var
  var posturekit: Posturekit;
}
