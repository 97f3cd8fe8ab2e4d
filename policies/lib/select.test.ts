import { execFileSync } from "child_process";
import * as path from "path";
import { allRules } from "../rules";
import { evaluateResources } from "./evaluate";
import { fixture } from "../testing/fixtures";
import { selectionConfig, selectRules } from "./select";
import { withPath } from "../testing";

describe("rule selection", () => {
    it("selects by service, severity and benchmark control, all lists combined", () => {
        expect(selectRules(allRules, { services: ["storage"] }).map((rule) => rule.name).sort()).toEqual([
            "storage-blob-public-access-disabled",
            "storage-customer-managed-key",
            "storage-https-only",
            "storage-min-tls-12",
            "storage-network-deny-by-default",
            "storage-public-network-disabled",
            "storage-shared-key-disabled",
        ]);
        const ns2 = selectRules(allRules, { controls: ["NS-2"] });
        expect(ns2.length).toBeGreaterThan(10);
        expect(ns2.every((rule) => rule.mcsb.includes("NS-2"))).toBe(true);
        expect(selectRules(allRules, { services: ["storage"], severities: ["high"] }).map((rule) => rule.name).sort()).toEqual([
            "storage-blob-public-access-disabled",
            "storage-https-only",
            "storage-shared-key-disabled",
        ]);
        expect(selectRules(allRules, {})).toHaveLength(allRules.length);
    });

    it("rejects an unknown service, severity or control, naming it and the choices", () => {
        expect(() => selectRules(allRules, { services: ["storag"] })).toThrow(/^Rule selection: services has "storag"; expected one of secrets, identity, web, /);
        expect(() => selectRules(allRules, { controls: ["NS-99"] })).toThrow(/^Rule selection: controls has "NS-99"; expected one of .*NS-2/);
    });

    it("writes a config that runs only the selection, as the engine reads it (all: disabled, then per rule)", () => {
        const config = selectionConfig(allRules, { services: ["storage"], severities: ["high"] }, "mandatory");
        expect(config).toEqual({
            all: "disabled",
            "storage-blob-public-access-disabled": "mandatory",
            "storage-https-only": "mandatory",
            "storage-shared-key-disabled": "mandatory",
        });
        const st = fixture("st");
        const open = { ...st, props: withPath(withPath(st.props, "allowSharedKeyAccess", true), "minimumTlsVersion", "TLS1_0") };
        // TLS is medium severity, so only the shared-key finding remains.
        expect(evaluateResources([open], config).map((finding) => [finding.rule, finding.level])).toEqual([["storage-shared-key-disabled", "mandatory"]]);
    });

    it("has a command line that prints the config", () => {
        const tsNode = require.resolve("ts-node/dist/bin.js");
        const out = execFileSync(process.execPath, [tsNode, "--swc", path.join(__dirname, "..", "select.ts"), "--service", "containers", "--control", "IM-3"], { encoding: "utf8" });
        expect(JSON.parse(out)).toEqual({
            all: "disabled",
            "aks-workload-identity-enabled": "mandatory",
            "container-app-registry-identity": "mandatory",
        });
    }, 60_000);
});
