import { needsInfrastructure } from "../../lib/levels";
import { classicSites, forTypes } from "../../lib/classic";
import { checkSettingsByType, SettingSpec } from "../../lib/setting";
import { siteTypes } from "../../lib/tokens";
import { ResourceRule } from "../../lib/types";

const setting: SettingSpec = {
    path: "virtualNetworkSubnetId",
    accept: (value) => typeof value === "string",
    absent: { passes: false, azureDefault: "no integration" },
    fix: "set it to a delegated subnet's ID.",
};

const settings: Record<string, SettingSpec[]> = {
    ...forTypes(siteTypes, [setting]),
    ...forTypes(classicSites, [setting]),
};

export const webVnetIntegration: ResourceRule = {
    name: "web-vnet-integration",
    description: "Web and function apps are integrated into a virtual network (virtualNetworkSubnetId).",
    severity: "low",
    remediation: "Set `virtualNetworkSubnetId` to a subnet delegated to Microsoft.Web/serverFarms and `siteConfig.vnetRouteAllEnabled: true`.",
    anchors: {},
    builtins: [
        { id: "72d04c29-f87d-4575-9731-419ff16a2757", displayName: "App Service apps should be injected into a virtual network" },
    ],
    mcsb: ["NS-2"],
    service: "web",
    defaultLevel: needsInfrastructure,
    justification: "Without VNet integration the app reaches its data services over public endpoints; it needs a delegated subnet, so it warns (advisory) rather than blocks unless the config raises it (advisory in dev and prod).",
    resourceTypes: [...siteTypes, ...classicSites],
    check: (resource) => checkSettingsByType(resource, settings),
};
