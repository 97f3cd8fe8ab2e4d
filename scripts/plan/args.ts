/** A small, strict command-line parser shared by `plan` and `plan:diff`: unknown options are errors, not ignored. */

export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

export interface ArgSpec {
    /** Options that take a value: `--stack dev` or `--stack=dev`. */
    values: readonly string[];
    /** Options without a value: `--timestamp`. */
    flags: readonly string[];
    /** Allowed values per option. */
    choices?: Record<string, readonly string[]>;
}

export interface ParsedArgs {
    values: Record<string, string>;
    flags: Set<string>;
    positionals: string[];
    help: boolean;
}

export function parseArgs(argv: readonly string[], spec: ArgSpec): ParsedArgs {
    const parsed: ParsedArgs = { values: {}, flags: new Set(), positionals: [], help: false };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--") {
            parsed.positionals.push(...argv.slice(i + 1));
            break;
        }
        if (arg === "-h" || arg === "--help") {
            parsed.help = true;
            continue;
        }
        if (!arg.startsWith("-") || arg === "-") {
            parsed.positionals.push(arg);
            continue;
        }
        const match = /^--([a-z][a-z-]*)(?:=(.*))?$/s.exec(arg);
        const name = match?.[1];
        if (!match || !name || (!spec.values.includes(name) && !spec.flags.includes(name))) {
            const known = [...spec.values, ...spec.flags].map((option) => `--${option}`).join(", ");
            throw new UsageError(`Unknown option ${JSON.stringify(arg)}; expected one of ${known}, or --help.`);
        }
        if (spec.flags.includes(name)) {
            if (match[2] !== undefined) {
                throw new UsageError(`Option --${name} takes no value; got ${JSON.stringify(match[2])}.`);
            }
            parsed.flags.add(name);
            continue;
        }
        const value = match[2] ?? argv[++i];
        if (value === undefined || (match[2] === undefined && value.startsWith("--"))) {
            throw new UsageError(`Option --${name} needs a value.`);
        }
        if (value.length === 0) {
            throw new UsageError(`Option --${name} needs a non-empty value.`);
        }
        const choices = spec.choices?.[name];
        if (choices && !choices.includes(value)) {
            throw new UsageError(`Option --${name} must be one of ${choices.join(", ")}; got ${JSON.stringify(value)}.`);
        }
        if (name in parsed.values) {
            throw new UsageError(`Option --${name} is given twice.`);
        }
        parsed.values[name] = value;
    }
    return parsed;
}
