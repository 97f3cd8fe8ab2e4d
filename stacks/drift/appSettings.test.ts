import { appSettingDrift, sitesInState } from "./appSettings";

const reference = "@Microsoft.KeyVault(SecretUri=https://kv-app.vault.azure.net/secrets/stock-api-key)";
const site = {
    resourceGroup: "rg-keyless-dev",
    site: "app-storefront",
    settings: [
        { name: "STOCK_API_KEY", value: reference },
        { name: "CATALOG_PAGE_SIZE", value: "24" },
    ],
};

describe("appSettingDrift", () => {
    it("finds nothing when names and references match, whatever the plain values", () => {
        expect(appSettingDrift(site, [{ name: "stock_api_key", value: reference }, { name: "CATALOG_PAGE_SIZE", value: "48" }])).toEqual([]);
    });

    it("names a missing, an added and a repointed setting, and never shows a plain value", () => {
        const planted = "value-set-in-the-portal";
        const drift = appSettingDrift(site, [
            { name: "STOCK_API_KEY", value: planted },
            { name: "DEBUG_TOKEN", value: planted },
        ]);
        expect(drift).toEqual([
            `rg-keyless-dev/app-storefront: app setting STOCK_API_KEY is a plain value; the stack has ${reference}`,
            "rg-keyless-dev/app-storefront: app setting CATALOG_PAGE_SIZE is missing",
            "rg-keyless-dev/app-storefront: app setting DEBUG_TOKEN is not in the stack",
        ]);
        expect(drift.join("\n")).not.toContain(planted);
        const other = reference.replace("stock-api-key", "other-key");
        expect(appSettingDrift(site, [{ name: "STOCK_API_KEY", value: other }, { name: "CATALOG_PAGE_SIZE", value: "24" }])).toEqual([
            `rg-keyless-dev/app-storefront: app setting STOCK_API_KEY is ${other}; the stack has ${reference}`,
        ]);
    });
});

describe("sitesInState", () => {
    it("reads each site's settings from a stack export, where the program's inputs hold them", () => {
        const state = {
            deployment: {
                resources: [
                    { type: "azure-native:web:WebApp", inputs: { name: "app-storefront", resourceGroupName: "rg-keyless-dev", siteConfig: { appSettings: site.settings } }, outputs: { name: "app-storefront" } },
                    { type: "azure-native:storage:StorageAccount", inputs: { accountName: "stappdata" } },
                ],
            },
        };
        expect(sitesInState(state)).toEqual([site]);
    });
});
