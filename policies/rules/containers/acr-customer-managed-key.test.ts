import { fixture, keyUri, clientId } from "../../testing/fixtures";
import { check, describeResourceRule, runResourcePolicy, UNKNOWN_STRING, withPath } from "../../testing";
import { acrCustomerManagedKey } from "./acr-customer-managed-key";

const key =
    "encryption.keyVaultProperties.keyIdentifier naming the key without a version (rotation then needs no redeploy) " +
    "and a user-assigned identity holding Key Vault Crypto Service Encryption User on that key.";

describeResourceRule(
    acrCustomerManagedKey,
    fixture("acr"),
    [
        { path: "encryption.status", value: "disabled", message: `Registry "acr" encryption.status: is "disabled"; set it to "enabled" with ${key}` },
        { path: "encryption", value: undefined, message: `Registry "acr" encryption.status: is not set, and Azure's default is disabled; set it to "enabled" with ${key}` },
    ],
    "encryption.status",
);

describe("acr-customer-managed-key", () => {
    const acr = fixture("acr");
    const without = withPath(acr.props, "encryption", undefined);

    it.each(["Basic", "Standard"])("tells a %s registry, which cannot take a key, that the fix starts with a Premium registry", (sku) => {
        expect(check(acrCustomerManagedKey, { ...acr, props: withPath(without, "sku.name", sku) })).toEqual([
            `Registry "acr" encryption.status: is not set, and Azure's default is disabled, and a ${sku} registry cannot take a customer-managed key: ` +
                `create it on sku.name "Premium" with encryption.status "enabled" and ${key}`,
        ]);
    });

    it("names Premium for a registry without a SKU, and gives the plain fix when the SKU is not known at preview", async () => {
        expect(check(acrCustomerManagedKey, { ...acr, props: withPath(without, "sku", undefined) })[0]).toMatch(/a registry without a SKU cannot take a customer-managed key: create it on sku.name "Premium"/);
        expect(await runResourcePolicy(acrCustomerManagedKey, { ...acr, props: withPath(without, "sku.name", UNKNOWN_STRING) })).toEqual([
            `Registry "acr" encryption.status: is not set, and Azure's default is disabled; set it to "enabled" with ${key}`,
        ]);
    });

    it("accepts the status in any case and never shows the key or the identity", () => {
        expect(check(acrCustomerManagedKey, { ...acr, props: withPath(acr.props, "encryption.status", "Enabled") })).toEqual([]);
        const [message] = check(acrCustomerManagedKey, { ...acr, props: withPath(acr.props, "encryption.status", "disabled") });
        expect(message).not.toContain(keyUri);
        expect(message).not.toContain(clientId);
    });
});
