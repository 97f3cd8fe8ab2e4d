import { randomBytes } from "crypto";
import { detectSecrets, scanValue } from "./index";

/**
 * Adversarial inputs must scan in time linear in their size: a regex that backtracks catastrophically turns
 * 10x more input into 100x (or astronomically) more time. Absolute times depend on the machine, so the test
 * compares 100 KB with 1 MB (best of several runs, to ride out a busy CI runner) and allows a loose factor.
 */
const KB = 1024;
const MB = 1024 * KB;

function repeatTo(unit: string, n: number): string {
    return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

const base64Run = randomBytes(MB).toString("base64").slice(0, MB);

const adversarial: Record<string, (n: number) => string> = {
    "equals signs": (n) => "=".repeat(n),
    "one letter": (n) => "a".repeat(n),
    "base64 alphabet": (n) => base64Run.slice(0, n),
    "repeated AccountKey=": (n) => repeatTo("AccountKey=", n),
    "repeated sig= with SAS parameters": (n) => repeatTo("sv=2022&sig=", n),
    "repeated password=": (n) => repeatTo("password=", n),
    "repeated Pwd= in a connection string": (n) => repeatTo(["Server=x;Pwd=", "Ab1!xyz9;"].join(""), n),
    "repeated PEM headers": (n) => repeatTo("-----BEGIN PRIVATE KEY-----\n", n),
    "PEM bodies without an END line": (n) => repeatTo(`-----BEGIN PRIVATE KEY-----\n${base64Run.slice(0, 64)}\n-----END \n`, n),
    "valid signatures without SAS parameters": (n) => repeatTo(`sig=${base64Run.slice(100, 144)}&`, n),
    "repeated JWT starts": (n) => repeatTo("eyJhbGciOi.", n),
    "URL-like runs": (n) => repeatTo("https://a:", n),
    "keyword assignments": (n) => repeatTo("token: ", n),
    "Entra-like fragments": (n) => repeatTo("abc1Q~", n),
};

function bestOf(runs: number, f: () => void): number {
    let best = Infinity;
    for (let i = 0; i < runs; i++) {
        const t = process.hrtime.bigint();
        f();
        best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6);
    }
    return best;
}

describe("linear time on adversarial input", () => {
    it.each(Object.keys(adversarial))("%s: 1 MB takes at most ~30x the time of 100 KB", (name) => {
        const make = adversarial[name];
        const small = make(100 * KB);
        const large = make(MB);
        expect(large.length).toBe(MB);
        detectSecrets(small); // warm up the regex compiler and JIT
        const tSmall = bestOf(3, () => detectSecrets(small));
        const tLarge = bestOf(3, () => detectSecrets(large));
        // A floor on the small time keeps timer noise on tiny durations from failing the ratio.
        expect(tLarge / Math.max(tSmall, 2)).toBeLessThan(30);
    });

    it("walks a value holding a megabyte of each adversarial string", () => {
        const value = Object.fromEntries(Object.entries(adversarial).map(([name, make]) => [name, make(MB)]));
        const findings = scanValue(value);
        expect(Array.isArray(findings)).toBe(true);
    });
});
