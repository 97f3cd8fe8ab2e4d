import { SettingSpec } from "./setting";

/**
 * Type tokens of the classic `@pulumi/azure` provider (6.x, bridged from the azurerm Terraform provider), checked
 * against its published SDK. Its resources flatten ARM's shape into their own property names, and the provider sends
 * its own defaults for properties a program leaves out (documented per property in the SDK), so rules judge an absent
 * classic property by the provider's default rather than by Azure's.
 */
export const classic = {
    storageAccount: "azure:storage/account:Account",
    keyVault: "azure:keyvault/keyVault:KeyVault",
    keyVaultAccessPolicy: "azure:keyvault/accessPolicy:AccessPolicy",
    linuxWebApp: "azure:appservice/linuxWebApp:LinuxWebApp",
    windowsWebApp: "azure:appservice/windowsWebApp:WindowsWebApp",
    linuxFunctionApp: "azure:appservice/linuxFunctionApp:LinuxFunctionApp",
    windowsFunctionApp: "azure:appservice/windowsFunctionApp:WindowsFunctionApp",
    linuxWebAppSlot: "azure:appservice/linuxWebAppSlot:LinuxWebAppSlot",
    windowsWebAppSlot: "azure:appservice/windowsWebAppSlot:WindowsWebAppSlot",
    linuxFunctionAppSlot: "azure:appservice/linuxFunctionAppSlot:LinuxFunctionAppSlot",
    windowsFunctionAppSlot: "azure:appservice/windowsFunctionAppSlot:WindowsFunctionAppSlot",
    linuxVirtualMachine: "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
    windowsVirtualMachine: "azure:compute/windowsVirtualMachine:WindowsVirtualMachine",
    linuxVirtualMachineScaleSet: "azure:compute/linuxVirtualMachineScaleSet:LinuxVirtualMachineScaleSet",
    windowsVirtualMachineScaleSet: "azure:compute/windowsVirtualMachineScaleSet:WindowsVirtualMachineScaleSet",
    orchestratedVirtualMachineScaleSet: "azure:compute/orchestratedVirtualMachineScaleSet:OrchestratedVirtualMachineScaleSet",
    sqlServer: "azure:mssql/server:Server",
    cosmosAccount: "azure:cosmosdb/account:Account",
    containerRegistry: "azure:containerservice/registry:Registry",
    kubernetesCluster: "azure:containerservice/kubernetesCluster:KubernetesCluster",
    containerGroup: "azure:containerservice/group:Group",
    containerApp: "azure:containerapp/app:App",
    logicWorkflow: "azure:logicapps/workflow:Workflow",
    serviceBusNamespace: "azure:servicebus/namespace:Namespace",
    eventHubNamespace: "azure:eventhub/eventHubNamespace:EventHubNamespace",
} as const;

/** App Service sites of the classic provider: web and function apps, Linux and Windows, and their slots. */
export const classicSites: string[] = [
    classic.linuxWebApp,
    classic.windowsWebApp,
    classic.linuxFunctionApp,
    classic.windowsFunctionApp,
    classic.linuxWebAppSlot,
    classic.windowsWebAppSlot,
    classic.linuxFunctionAppSlot,
    classic.windowsFunctionAppSlot,
];

export const classicVirtualMachines: string[] = [classic.linuxVirtualMachine, classic.windowsVirtualMachine];
export const classicScaleSets: string[] = [classic.linuxVirtualMachineScaleSet, classic.windowsVirtualMachineScaleSet, classic.orchestratedVirtualMachineScaleSet];

/**
 * A boolean the classic provider defaults when left out: `expected` passes, anything else fails, and an absent value
 * is judged by `providerDefault`.
 */
export function classicFlag(path: string, expected: boolean, providerDefault: boolean, fix = `set it to ${expected}.`): SettingSpec {
    return {
        path,
        accept: (value) => value === expected,
        absent: { passes: providerDefault === expected, azureDefault: String(providerDefault), whose: "the classic provider's" },
        fix,
    };
}

/** The same spec for each of several types. */
export function forTypes(types: readonly string[], specs: SettingSpec[]): Record<string, SettingSpec[]> {
    return Object.fromEntries(types.map((type) => [type, specs]));
}
