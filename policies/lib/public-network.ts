import { classicFlag } from "./classic";
import { needsInfrastructure } from "./levels";
import { checkSetting, equalsText } from "./setting";
import { BuiltIn, ResourceRule, Service } from "./types";

interface PublicNetworkOptions {
    name: string;
    service: Service;
    /** What the service is called in the description: "Key vaults". */
    label: string;
    resourceTypes: string[];
    /** Where the switch lives: `publicNetworkAccess` or `properties.publicNetworkAccess`. */
    path: string;
    builtins: BuiltIn[];
    /** How to reach the service once the public endpoint is gone. */
    reachThrough: string;
    /** Classic `@pulumi/azure` types of the same service; their switch is `publicNetworkAccessEnabled` (default true). */
    classicTypes?: string[];
}

/**
 * A rule that the service has no public endpoint (`publicNetworkAccess: "Disabled"`). A firewall that denies by
 * default still answers on a public address, so this is its own rule. Azure enables public access when the property
 * is absent for every service this pack covers. Off by default (lib/levels.ts); `config.dev.json` makes it advisory and
 * `config.prod.json` mandatory.
 */
export function publicNetworkAccessRule(options: PublicNetworkOptions): ResourceRule {
    const spec = {
        path: options.path,
        accept: equalsText("Disabled"),
        absent: { passes: false, azureDefault: "Enabled" },
        fix: `set it to "Disabled" and reach it through ${options.reachThrough}.`,
    };
    const classicTypes = options.classicTypes ?? [];
    const classicSpec = classicFlag("publicNetworkAccessEnabled", false, true, `set it to false and reach it through ${options.reachThrough}.`);
    return {
        name: options.name,
        description: `${options.label} have public network access disabled (no public endpoint at all, not only a firewall).`,
        severity: "medium",
        remediation:
            `Set \`${options.path}: "Disabled"\`${classicTypes.length > 0 ? " (classic provider: `publicNetworkAccessEnabled: false`)" : ""} ` +
            `and reach the service through ${options.reachThrough}.`,
        anchors: {},
        builtins: options.builtins,
        mcsb: ["NS-2"],
        service: options.service,
        defaultLevel: needsInfrastructure,
        justification:
            "Without a public endpoint a leaked token is useless outside the network; it needs private endpoints or VNet integration first, " +
            "so it is off unless the config turns it on: advisory in config.dev.json, mandatory in config.prod.json.",
        resourceTypes: [...options.resourceTypes, ...classicTypes],
        check: (resource) => checkSetting(resource, classicTypes.includes(resource.type) ? classicSpec : spec),
    };
}
