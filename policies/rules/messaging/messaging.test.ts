import { check, runResourcePolicy, UNKNOWN_BOOLEAN } from "../../testing";
import { eventHubsLocalAuthDisabled } from "./eventhubs-local-auth-disabled";
import { serviceBusLocalAuthDisabled } from "./servicebus-local-auth-disabled";

describe.each([
    [serviceBusLocalAuthDisabled, "azure-native:servicebus:Namespace"],
    [eventHubsLocalAuthDisabled, "azure-native:eventhub:Namespace"],
])("$name", (rule, type) => {
    const namespace = (disableLocalAuth: unknown) => ({
        type,
        name: "ns",
        props: disableLocalAuth === undefined ? { resourceGroupName: "rg" } : { resourceGroupName: "rg", disableLocalAuth },
    });

    it("passes a namespace with local auth disabled", () => {
        expect(check(rule, namespace(true))).toEqual([]);
    });

    it("fails local auth enabled or left at Azure's default", () => {
        expect(check(rule, namespace(false))).toEqual(['Namespace "ns" disableLocalAuth: is false; set it to true (Azure\'s default keeps SAS keys working).']);
        expect(check(rule, namespace(undefined))).toEqual(['Namespace "ns" disableLocalAuth: is not set; set it to true (Azure\'s default keeps SAS keys working).']);
    });

    it("skips a value unknown at preview and other namespaces' types", async () => {
        expect(await runResourcePolicy(rule, namespace(UNKNOWN_BOOLEAN))).toEqual([]);
        const other = type.includes("servicebus") ? "azure-native:eventhub:Namespace" : "azure-native:servicebus:Namespace";
        expect(await runResourcePolicy(rule, { ...namespace(false), type: other })).toEqual([]);
    });
});
