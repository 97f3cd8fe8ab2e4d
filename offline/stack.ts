import { MockRun, runUnderMocks } from "./mocks";
import { readStackConfig } from "../stacks/config";
import { deployEnvironment, EnvironmentOutputs } from "../stacks/environment";
import { loadStackFile, StackFile } from "./stackFile";

/**
 * Runs a stack's program under Pulumi's mock runtime, with its config read from `Pulumi.<stack>.yaml` as the
 * CLI would pass it. No cloud, no credentials, no CLI: values Azure would compute are stand-ins.
 */
export interface OfflineRun extends MockRun<EnvironmentOutputs> {
    stackFile: StackFile;
}

export async function runStackOffline(root: string, stack: string, edit?: (file: StackFile) => StackFile): Promise<OfflineRun> {
    const loaded = loadStackFile(root, stack);
    const stackFile = edit ? edit(loaded) : loaded;
    const run = await runUnderMocks(() => deployEnvironment(readStackConfig()), {
        project: "keyless",
        stack,
        config: stackFile.config,
        secretKeys: stackFile.secretKeys,
    });
    return { ...run, stackFile };
}
