import { check, Fixture, runResourcePolicy, UNKNOWN_BOOLEAN, withPath } from "../../testing";
import { storageSharedKeyDisabled } from "./storage-shared-key-disabled";

const account: Fixture = {
    type: "azure-native:storage:StorageAccount",
    name: "st",
    props: { resourceGroupName: "rg", kind: "StorageV2", sku: { name: "Standard_LRS" }, allowSharedKeyAccess: false, minimumTlsVersion: "TLS1_2" },
};

describe("storage-shared-key-disabled", () => {
    it("passes an account with Shared Key disabled", () => {
        expect(check(storageSharedKeyDisabled, account)).toEqual([]);
    });

    it("fails when Shared Key is allowed or left at Azure's default", () => {
        expect(check(storageSharedKeyDisabled, { ...account, props: withPath(account.props, "allowSharedKeyAccess", true) })).toEqual([
            'StorageAccount "st" allowSharedKeyAccess: is true; set it to false (Azure\'s default allows Shared Key) and use Entra ID with data-plane roles.',
        ]);
        expect(check(storageSharedKeyDisabled, { ...account, props: withPath(account.props, "allowSharedKeyAccess", undefined) })).toEqual([
            'StorageAccount "st" allowSharedKeyAccess: is not set; set it to false (Azure\'s default allows Shared Key) and use Entra ID with data-plane roles.',
        ]);
    });

    it("skips a value unknown at preview", async () => {
        expect(await runResourcePolicy(storageSharedKeyDisabled, { ...account, props: withPath(account.props, "allowSharedKeyAccess", UNKNOWN_BOOLEAN) })).toEqual([]);
    });

    it("honours an exemption with a reason, and rejects one without", async () => {
        const open = { ...account, props: withPath(account.props, "allowSharedKeyAccess", true) };
        expect(await runResourcePolicy(storageSharedKeyDisabled, open, { exemptions: [{ resource: "st", reason: "Consumption plan content share needs a key" }] })).toEqual([]);
        expect(await runResourcePolicy(storageSharedKeyDisabled, open, { exemptions: [{ resource: "other", reason: "not this one" }] })).toHaveLength(1);
        await expect(runResourcePolicy(storageSharedKeyDisabled, open, { exemptions: [{ resource: "st", reason: " " }] })).rejects.toThrow(
            'Policy "storage-shared-key-disabled" config: exemptions[0].reason must be a non-empty explanation of why "st" is exempt; got " ".',
        );
    });
});
