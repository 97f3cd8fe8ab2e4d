/**
 * App-setting drift: azure-native's refresh reads `siteConfig`, where Azure always returns null app settings, so a
 * setting added, removed or repointed in the portal never shows in `pulumi preview --refresh`. This compares each
 * site's live app settings (listed with the preview identity) with the stack's state: the names, and for Key Vault
 * references the reference itself. Values are never printed, and plain values are not compared.
 *
 * `npx ts-node --transpile-only stacks/drift/appSettings.ts <state.json>` after `pulumi stack export --file state.json`;
 * exit code 1 on drift.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";

export interface SiteSettings {
    resourceGroup: string;
    site: string;
    settings: { name: string; value: string }[];
}

const keyVaultReference = /^@Microsoft\.KeyVault\(.*\)$/i;

/** What differs between the stack's settings of a site and the live ones, by name; never a plain value. */
export function appSettingDrift(expected: SiteSettings, live: readonly { name: string; value: string }[]): string[] {
    const where = `${expected.resourceGroup}/${expected.site}`;
    const byName = (list: readonly { name: string; value: string }[]) => new Map(list.map((setting) => [setting.name.toLowerCase(), setting]));
    const want = byName(expected.settings);
    const have = byName(live);
    const drift: string[] = [];
    for (const [key, setting] of want) {
        const actual = have.get(key);
        if (!actual) {
            drift.push(`${where}: app setting ${setting.name} is missing`);
        } else if (keyVaultReference.test(setting.value) || keyVaultReference.test(actual.value)) {
            if (setting.value !== actual.value) {
                // A reference names a vault and a secret, never the secret's value: it can be shown.
                drift.push(`${where}: app setting ${setting.name} is ${keyVaultReference.test(actual.value) ? actual.value : "a plain value"}; the stack has ${setting.value}`);
            }
        }
    }
    for (const [key, setting] of have) {
        if (!want.has(key)) {
            drift.push(`${where}: app setting ${setting.name} is not in the stack`);
        }
    }
    return drift;
}

interface StateResource {
    type: string;
    inputs?: { name?: string; resourceGroupName?: string; siteConfig?: { appSettings?: { name: string; value: string }[] } };
    outputs?: { name?: string };
}

/** The sites and their settings, from `pulumi stack export` (inputs hold what the program set; Azure returns none). */
export function sitesInState(state: unknown): SiteSettings[] {
    const resources = ((state as { deployment?: { resources?: StateResource[] } }).deployment?.resources ?? []).filter((resource) => resource.type === "azure-native:web:WebApp");
    return resources.map((resource) => ({
        resourceGroup: String(resource.inputs?.resourceGroupName ?? ""),
        site: String(resource.outputs?.name ?? resource.inputs?.name ?? ""),
        settings: (resource.inputs?.siteConfig?.appSettings ?? []).map(({ name, value }) => ({ name, value: String(value) })),
    }));
}

function liveSettings(site: SiteSettings): { name: string; value: string }[] {
    // Needs Microsoft.Web/sites/config/list/action, which the bootstrap grants the preview identity on each stack group.
    const json = execFileSync("az", ["webapp", "config", "appsettings", "list", "--resource-group", site.resourceGroup, "--name", site.site, "--output", "json"], { encoding: "utf8" });
    return (JSON.parse(json) as { name: string; value: string }[]).map(({ name, value }) => ({ name, value: String(value ?? "") }));
}

function main(argv: readonly string[]): number {
    if (argv.length !== 1) {
        process.stderr.write("Usage: appSettings.ts <state.json from pulumi stack export>\n");
        return 2;
    }
    const sites = sitesInState(JSON.parse(fs.readFileSync(argv[0], "utf8")));
    const drift = sites.flatMap((site) => appSettingDrift(site, liveSettings(site)));
    drift.forEach((line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`${sites.length} site(s) checked, ${drift.length} app setting difference(s).\n`);
    return drift.length > 0 ? 1 : 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
