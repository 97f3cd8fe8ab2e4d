/**
 * Azure public-cloud region names as ARM expects them in `location`. Kept as data so that a typo such as
 * "westeuropa" fails before anything is declared instead of at the first API call.
 */
export const azureRegions = [
    "australiacentral", "australiacentral2", "australiaeast", "australiasoutheast", "austriaeast", "belgiumcentral",
    "brazilsouth", "brazilsoutheast", "canadacentral", "canadaeast", "centralindia", "centralus", "chilecentral",
    "eastasia", "eastus", "eastus2", "francecentral", "francesouth", "germanynorth", "germanywestcentral",
    "indonesiacentral", "israelcentral", "italynorth", "japaneast", "japanwest", "koreacentral", "koreasouth",
    "malaysiawest", "mexicocentral", "newzealandnorth", "northcentralus", "northeurope", "norwayeast", "norwaywest",
    "polandcentral", "qatarcentral", "southafricanorth", "southafricawest", "southcentralus", "southindia",
    "southeastasia", "spaincentral", "swedencentral", "switzerlandnorth", "switzerlandwest", "uaecentral", "uaenorth",
    "uksouth", "ukwest", "westcentralus", "westeurope", "westindia", "westus", "westus2", "westus3",
] as const;

export type AzureRegion = (typeof azureRegions)[number];

const regionSet = new Set<string>(azureRegions);

/** Accepts ARM names and display names ("West Europe"), as the Azure CLI does. */
export function normalizeRegion(value: string): string {
    return value.toLowerCase().replace(/\s+/g, "");
}

export function isAzureRegion(value: string): boolean {
    return regionSet.has(normalizeRegion(value));
}
