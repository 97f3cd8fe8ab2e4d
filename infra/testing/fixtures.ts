/** Lookups the component tests make on the resources a mock run recorded. For tests only: `one` asserts. */
import type { RecordedResource } from "../../offline/mocks";

/** Every recorded resource of `type`, in declaration order. */
export function ofType(resources: RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((resource) => resource.type === type);
}

/** The one recorded resource of `type`; the test fails unless there is exactly one. */
export function one(resources: RecordedResource[], type: string): RecordedResource {
    const found = ofType(resources, type);
    expect(found).toHaveLength(1);
    return found[0];
}

/** The app settings of a recorded web or function app, by name. */
export function settingsOf(site: RecordedResource): Record<string, string> {
    const siteConfig = site.inputs.siteConfig as { appSettings: { name: string; value: string }[] };
    return Object.fromEntries(siteConfig.appSettings.map(({ name, value }) => [name, value]));
}

/** The error `action` throws, or undefined when it returns. */
export function thrownBy(action: () => unknown): Error | undefined {
    try {
        action();
    } catch (error) {
        return error as Error;
    }
    return undefined;
}
