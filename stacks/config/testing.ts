// Test helpers for the stack config tests, for *.test.ts only.
import * as path from "path";
import { ConfigError, namespacedConfig, parseStackConfig } from ".";
import { loadStackFile } from "../../offline/stackFile";

export type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = path.join(__dirname, "..", "..");

/** A committed stack file's config, namespaced as the program reads it. */
export const stackRaw = (stack: string): Raw => namespacedConfig(loadStackFile(root, stack).config);

/** The problems the stack config reports once `edit` has changed the committed `stack` file; fails if it is accepted. */
export function configProblems(stack: string, edit: (raw: Raw) => void): string[] {
    const raw = stackRaw(stack);
    edit(raw);
    try {
        parseStackConfig(raw, { project: "keyless" });
    } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return [...(error as ConfigError).problems];
    }
    throw new Error("expected the config to be rejected");
}
