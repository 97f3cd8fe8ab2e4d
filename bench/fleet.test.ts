import { parse } from "yaml";
import { validateSshPublicKey } from "../infra/compute/ssh";
import { fleetConfig, fleetKinds, fleetStackFile, fleetStackName } from "./fleet";
import { validateFleet } from "./fleetScale";

describe("fleet stack configs for the scale benchmark", () => {
    it.each([1, 10, 100, 1000])("%i workloads pass the stack's own config validation, one identity and two grants each", (n) => {
        const config = validateFleet(n);
        expect(config.workloads).toHaveLength(n);
        expect(Object.keys(config.identities)).toHaveLength(n);
        expect(config.grants).toHaveLength(2 * n);
        for (const workload of config.workloads) {
            expect(workload.identity.userAssigned).toHaveLength(1);
            expect(config.grants.filter((grant) => grant.workload === workload.name).map((grant) => grant.role).sort()).toEqual(["Key Vault Secrets User", "Storage Blob Data Reader"]);
        }
    });

    it("mixes the kinds round robin", () => {
        const workloads = fleetConfig(7).workloads as { kind: string }[];
        expect(workloads.map((workload) => workload.kind)).toEqual([...fleetKinds, ...fleetKinds, fleetKinds[0]]);
    });

    it("writes a stack file whose keyless: keys hold the same config", () => {
        const file = parse(fleetStackFile(12)) as { config: Record<string, unknown> };
        expect(file.config["keyless:workloads"]).toEqual(fleetConfig(12).workloads);
        expect(file.config["azure-native:location"]).toBe("westeurope");
        expect(fleetStackName(12)).toBe("fleet-12");
    });

    it("uses a structurally valid SSH public key and refuses sizes it cannot name", () => {
        const vm = (fleetConfig(1).workloads as { sshPublicKey: string }[])[0];
        expect(validateSshPublicKey(vm.sshPublicKey).algorithm).toBe("ssh-ed25519");
        expect(() => fleetConfig(0)).toThrow(/fleet size must be an integer from 1 to 9999; got 0/);
        expect(() => fleetConfig(10_000)).toThrow(/got 10000/);
    });
});
