/**
 * Runs a compiled consumer program under the offline mock runtime in a process of its own, as `pulumi preview` would
 * start it, and prints as JSON what it declared and which azure-native modules it loaded.
 *
 *   node -r ts-node/register/transpile-only scripts/package/runExample.ts <program.js> <project> [config.json]
 */
import * as path from "path";
import { runUnderMocks } from "../../offline/mocks";

export interface ExampleRun {
    resources: { type: string; name: string; parentUrn?: string; inputs: Record<string, unknown> }[];
    /** azure-native submodules (`web`, `keyvault`, ...) present in the module cache after the run. */
    azureNativeModules: string[];
}

function loadedAzureNativeModules(): string[] {
    const marker = `${path.sep}@pulumi${path.sep}azure-native${path.sep}`;
    const modules = new Set<string>();
    for (const file of Object.keys(require.cache)) {
        const at = file.lastIndexOf(marker);
        if (at >= 0) {
            const [first] = file.slice(at + marker.length).split(path.sep);
            modules.add(first);
        }
    }
    return [...modules].sort();
}

async function main(): Promise<void> {
    const [entry, project, configFile] = process.argv.slice(2);
    if (!entry || !project) {
        throw new Error("usage: runExample.ts <program.js> <project> [config.json]");
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const config = configFile ? (require(path.resolve(configFile)) as Record<string, string>) : {};
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { resources } = await runUnderMocks(() => require(path.resolve(entry)) as unknown, { project, config });
    const run: ExampleRun = {
        resources: resources.map(({ type, name, parentUrn, inputs }) => ({ type, name, parentUrn, inputs })),
        azureNativeModules: loadedAzureNativeModules(),
    };
    process.stdout.write(JSON.stringify(run));
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
});
