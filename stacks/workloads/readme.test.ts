import * as fs from "fs";
import * as path from "path";
import { workloadKinds } from "./registry";

/** The README's table of workload kinds says what the registry holds: every kind, and each field it requires. */
describe("README workload kinds", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    const rows = new Map(
        readme
            .split("\n")
            .map((line) => /^\| `([A-Za-z]+)` \| ([^|]*) \|/.exec(line))
            .filter((match): match is RegExpExecArray => match !== null)
            .map((match) => [match[1], match[2]]),
    );

    it.each(workloadKinds.map((kind) => [kind.kind, kind]))("lists %s with its required fields", (_name, kind) => {
        const shape = (kind.schema as unknown as { shape: Record<string, { safeParse(value: unknown): { success: boolean } }> }).shape;
        const required = Object.keys(shape).filter((key) => key !== "kind" && !shape[key].safeParse(undefined).success);
        const row = rows.get(kind.kind);
        expect(row).toBeDefined();
        expect(row!.split(",").map((field) => field.trim().replace(/`/g, "")).filter(Boolean)).toEqual(required);
    });
});
