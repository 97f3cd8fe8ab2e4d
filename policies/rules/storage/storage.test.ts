import { fixture } from "../../testing/fixtures";
import { describeResourceRule } from "../../testing";
import { storageBlobPublicAccessDisabled } from "./storage-blob-public-access-disabled";
import { storageHttpsOnly } from "./storage-https-only";
import { storageMinTls12 } from "./storage-min-tls-12";
import { storageNetworkDenyByDefault } from "./storage-network-deny-by-default";
import { storagePublicNetworkDisabled } from "./storage-public-network-disabled";

const account = fixture("st");
const st = 'StorageAccount "st"';

describeResourceRule(storageHttpsOnly, account, [{ path: "enableHttpsTrafficOnly", value: false, message: `${st} enableHttpsTrafficOnly: is false; set it to true (or leave it unset: Azure's default is HTTPS only).` }], "enableHttpsTrafficOnly");

describeResourceRule(
    storageBlobPublicAccessDisabled,
    account,
    [
        { path: "allowBlobPublicAccess", value: true, message: `${st} allowBlobPublicAccess: is true; set it to false.` },
        {
            path: "allowBlobPublicAccess",
            value: undefined,
            message: `${st} allowBlobPublicAccess: is not set, and Azure's default is false for accounts created since late 2023, true before (the built-in requires it declared); set it to false.`,
        },
    ],
    "allowBlobPublicAccess",
);

describeResourceRule(
    storageMinTls12,
    account,
    [
        { path: "minimumTlsVersion", value: "TLS1_0", message: `${st} minimumTlsVersion: is "TLS1_0"; set it to "TLS1_2".` },
        { path: "minimumTlsVersion", value: undefined, message: `${st} minimumTlsVersion: is not set, and Azure's default is TLS 1.0; set it to "TLS1_2".` },
    ],
    "minimumTlsVersion",
);

describeResourceRule(
    storageNetworkDenyByDefault,
    account,
    [
        { path: "networkRuleSet.defaultAction", value: "Allow", message: `${st} networkRuleSet.defaultAction: is "Allow"; set it to "Deny".` },
        { path: "networkRuleSet", value: undefined, message: `${st} networkRuleSet.defaultAction: is not set, and Azure's default is Allow; set it to "Deny".` },
    ],
    "networkRuleSet",
);

describeResourceRule(
    storagePublicNetworkDisabled,
    account,
    [
        { path: "publicNetworkAccess", value: "Enabled", message: `${st} publicNetworkAccess: is "Enabled"; set it to "Disabled" and reach it through a private endpoint.` },
        { path: "publicNetworkAccess", value: undefined, message: `${st} publicNetworkAccess: is not set, and Azure's default is Enabled; set it to "Disabled" and reach it through a private endpoint.` },
    ],
    "publicNetworkAccess",
);

describe("storage defaults and levels", () => {
    it("accepts secure transfer left at Azure's default", () => {
        expect(storageHttpsOnly.check({ ...account, props: { ...account.props, enableHttpsTrafficOnly: undefined } })).toEqual([]);
    });

    it("keeps network rules advisory by default and in dev, public network access mandatory in prod", () => {
        expect([storageNetworkDenyByDefault.defaultLevel, storagePublicNetworkDisabled.defaultLevel]).toEqual(["advisory", "advisory"]);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const [dev, prod] = [require("../../config.dev.json"), require("../../config.prod.json")];
        expect([dev["storage-network-deny-by-default"].enforcementLevel, dev["storage-public-network-disabled"].enforcementLevel]).toEqual(["advisory", "advisory"]);
        expect([prod["storage-network-deny-by-default"].enforcementLevel, prod["storage-public-network-disabled"].enforcementLevel]).toEqual(["advisory", "mandatory"]);
    });
});
