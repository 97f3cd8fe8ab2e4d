/**
 * The one way Keyless reports bad input: collect every problem first, then throw once, before any resource is
 * declared. Components, the stack config and the bootstrap all use it, so every message has the same shape:
 *
 *     Invalid stack config (2 problems):
 *       - keyless.workloads[storefront].access[1].role: Unknown role "Key Vault Secret User"; ...
 *       - keyless.vaults.app_secrets: ...
 *
 * Each problem names where it is (a key path or an input), the bad value where showing it is safe, and what is
 * expected.
 */
export class ProblemsError extends Error {
    constructor(
        /** What was checked: `Invalid stack config`, `KeylessStorage "appdata"`. */
        public readonly subject: string,
        public readonly problems: readonly string[],
    ) {
        super(formatProblems(subject, problems));
        this.name = "ProblemsError";
    }
}

export function formatProblems(subject: string, problems: readonly string[]): string {
    return `${subject} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  - ${problems.join("\n  - ")}`;
}

export class Problems {
    private readonly items: string[] = [];

    constructor(public readonly subject: string) {}

    add(problem: string): void {
        this.items.push(problem);
    }

    /** Adds each of several problems; `undefined` entries (a check that passed) are ignored. */
    addAll(problems: Iterable<string | undefined>): void {
        for (const problem of problems) {
            if (problem !== undefined) {
                this.items.push(problem);
            }
        }
    }

    /** Runs a check that throws on failure and records its message; returns its result, or undefined if it threw. */
    attempt<T>(check: () => T): T | undefined {
        try {
            return check();
        } catch (error) {
            if (error instanceof ProblemsError) {
                this.items.push(...error.problems);
            } else {
                this.items.push((error as Error).message);
            }
            return undefined;
        }
    }

    get count(): number {
        return this.items.length;
    }

    get list(): readonly string[] {
        return this.items;
    }

    /** Throws one ProblemsError listing every problem, or returns when there are none. */
    throwIfAny(make: (subject: string, problems: readonly string[]) => Error = (subject, problems) => new ProblemsError(subject, problems)): void {
        if (this.items.length > 0) {
            throw make(this.subject, [...this.items]);
        }
    }

    /**
     * Throws like throwIfAny; otherwise returns `value`, the result of an `attempt` made on this list, which is
     * defined once no problem was recorded. Lets a component use what a nested check resolved after the one throw.
     */
    resultOf<T>(value: T | undefined): T {
        this.throwIfAny();
        if (value === undefined) {
            throw new Error(`${this.subject}: a check passed but gave no result.`);
        }
        return value;
    }
}
