import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { adversarialInputs } from "../bench/inputs";
import { detectSecrets, scanValue } from "./index";

/**
 * The detector must scan in time linear in its input. How its time grows on adversarial inputs (0.25, 0.5 and 1 MB
 * of each) is measured by `npm run bench:detect`, as ratios within one run. Here, without timing anything: the
 * cause of non-linear regex time is a repeated group whose body can itself repeat (`(a+)+`), which backtracks
 * catastrophically. No regex literal in the detector may have one, unless every repetition of the group starts
 * with a separator that the body cannot match (`(?:\.[0-9]{1,6}){1,3}`), so that there is one way to split a match.
 */

interface Quantifier {
    /** Whether it can repeat a variable number of times (`*`, `+`, `{1,3}`; not `?` or `{4}`). */
    varies: boolean;
    length: number;
}

function quantifierAt(source: string, i: number): Quantifier | undefined {
    const c = source[i];
    const lazy = source[i + 1] === "?" ? 1 : 0;
    if (c === "*" || c === "+") {
        return { varies: true, length: 1 + lazy };
    }
    if (c === "?") {
        return { varies: false, length: 1 + lazy };
    }
    const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!braces) {
        return undefined;
    }
    const max = braces[2] === undefined ? Number(braces[1]) : braces[3] === "" ? Infinity : Number(braces[3]);
    return { varies: max > Number(braces[1]), length: braces[0].length + (source[i + braces[0].length] === "?" ? 1 : 0) };
}

/** A group led by a literal separator (`\.`, `-`) that nothing after it in the group can match. */
function separatorLed(body: string): boolean {
    const inner = body.replace(/^\?(:|<?[=!]|<[A-Za-z]\w*>)/, "");
    const lead = /^(\\[^A-Za-z0-9]|[-,;:=@/])/.exec(inner);
    if (!lead) {
        return false;
    }
    const separator = lead[1].slice(-1);
    const rest = inner.slice(lead[1].length);
    const classes = rest.match(/\[(\\.|[^\]])*\]/g) ?? [];
    const outside = rest.replace(/\[(\\.|[^\]])*\]/g, "");
    return !outside.includes(separator) && !/(^|[^\\])\./.test(outside) && !/\\[SWD]/.test(rest) && !classes.some((cls) => cls.startsWith("[^") || cls.includes(separator));
}

/** Repeated groups whose body can repeat too, in one regex source; empty when there is none. */
export function nestedQuantifiers(source: string): string[] {
    const found: string[] = [];
    const groups: { start: number; varies: boolean }[] = [{ start: -1, varies: false }];
    for (let i = 0; i < source.length; i++) {
        const c = source[i];
        let atomEnd = i;
        if (c === "\\") {
            atomEnd = i + 1;
        } else if (c === "[") {
            let j = i + 1;
            while (j < source.length && source[j] !== "]") {
                j += source[j] === "\\" ? 2 : 1;
            }
            atomEnd = j;
        } else if (c === "(") {
            groups.push({ start: i, varies: false });
            continue;
        } else if (c === ")") {
            const group = groups.pop()!;
            const q = quantifierAt(source, i + 1);
            if (q?.varies && group.varies && !separatorLed(source.slice(group.start + 1, i))) {
                found.push(source.slice(group.start, i + 1 + q.length));
            }
            groups[groups.length - 1].varies ||= group.varies || Boolean(q?.varies);
            i += q?.length ?? 0;
            continue;
        }
        const q = quantifierAt(source, atomEnd + 1);
        if (q?.varies) {
            groups[groups.length - 1].varies = true;
        }
        i = atomEnd + (q?.length ?? 0);
    }
    return found;
}

/** Every regex literal in the detector's sources (tests excluded), with where it is. */
function detectorRegexes(): { at: string; source: string }[] {
    const found: { at: string; source: string }[] = [];
    for (const file of fs.readdirSync(__dirname).filter((name) => name.endsWith(".ts") && !name.endsWith(".test.ts"))) {
        const text = fs.readFileSync(path.join(__dirname, file), "utf8");
        const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
        const visit = (node: ts.Node): void => {
            if (ts.isRegularExpressionLiteral(node)) {
                const line = sourceFile.getLineAndCharacterOfPosition(node.getStart()).line + 1;
                found.push({ at: `${file}:${line}`, source: node.text.slice(1, node.text.lastIndexOf("/")) });
            }
            ts.forEachChild(node, visit);
        };
        visit(sourceFile);
    }
    return found;
}

describe("regexes that cannot backtrack catastrophically", () => {
    it("finds a repeated group whose body repeats, and accepts the forms that have one way to match", () => {
        expect(nestedQuantifiers("(a+)+")).toEqual(["(a+)+"]);
        expect(nestedQuantifiers("^(?:[A-Za-z0-9]{2,4}=?)*$")).toEqual(["(?:[A-Za-z0-9]{2,4}=?)*"]);
        expect(nestedQuantifiers("(?:x|y*){2,}")).toEqual(["(?:x|y*){2,}"]);
        expect(nestedQuantifiers("((ab)*c)+")).toEqual(["((ab)*c)+"]);
        expect(nestedQuantifiers("(?:\\.[0-9]+)+")).toEqual([]);
        expect(nestedQuantifiers("(?:\\..+)+")).toEqual(["(?:\\..+)+"]);
        expect(nestedQuantifiers("(?:-[^;]+)+")).toEqual(["(?:-[^;]+)+"]);
        expect(nestedQuantifiers("(x{3})+|[(+*]{2,}|(?:ab)?c*|\\(a+\\)+")).toEqual([]);
    });

    it("reads every regex literal of the detector", () => {
        const regexes = detectorRegexes();
        expect(regexes.length).toBeGreaterThan(20);
        expect(regexes.some((regex) => regex.at.startsWith("rules.ts:") && regex.source.includes("AccountKey"))).toBe(true);
    });

    it("has no repeated group in the detector whose body can repeat", () => {
        const nested = detectorRegexes().flatMap((regex) => nestedQuantifiers(regex.source).map((group) => `${regex.at} ${group}`));
        expect(nested).toEqual([]);
    });
});

describe("adversarial input (the bench's set, which it times)", () => {
    const inputs = adversarialInputs(20251130);

    it.each(Object.keys(inputs))("%s: a megabyte scans to the end, every finding inside the input", (name) => {
        const text = inputs[name](1024 * 1024);
        expect(text.length).toBe(1024 * 1024);
        const outside = detectSecrets(text).filter((finding) => !(finding.start >= 0 && finding.start < finding.end && finding.end <= text.length));
        expect(outside).toEqual([]);
    });

    it("walks a value holding a megabyte of each adversarial string", () => {
        const value = Object.fromEntries(Object.entries(inputs).map(([name, make]) => [name, make(1024 * 1024)]));
        expect(Array.isArray(scanValue(value))).toBe(true);
    });
});
