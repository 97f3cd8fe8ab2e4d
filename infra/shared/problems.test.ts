import { formatProblems, Problems, ProblemsError } from "./problems";

describe("Problems", () => {
    it("throws nothing while empty", () => {
        expect(() => new Problems("KeylessStorage \"appdata\"").throwIfAny()).not.toThrow();
    });

    it("throws once with every problem, in the one shared format", () => {
        const problems = new Problems("Invalid stack config");
        problems.add("keyless.vaults.a: first");
        problems.addAll([undefined, "keyless.vaults.b: second"]);
        expect(problems.count).toBe(2);
        let thrown: unknown;
        try {
            problems.throwIfAny();
        } catch (error) {
            thrown = error;
        }
        expect(thrown).toBeInstanceOf(ProblemsError);
        expect((thrown as ProblemsError).problems).toEqual(["keyless.vaults.a: first", "keyless.vaults.b: second"]);
        expect((thrown as Error).message).toBe("Invalid stack config (2 problems):\n  - keyless.vaults.a: first\n  - keyless.vaults.b: second");
    });

    it("says 1 problem, not 1 problems", () => {
        expect(formatProblems("Network \"net\"", ["subnets: none declared"])).toBe('Network "net" (1 problem):\n  - subnets: none declared');
    });

    it("records what a throwing check says, and flattens nested problem lists", () => {
        const problems = new Problems("outer");
        expect(problems.attempt(() => 7)).toBe(7);
        expect(problems.attempt(() => {
            throw new Error("plain");
        })).toBeUndefined();
        problems.attempt(() => {
            throw new ProblemsError("inner", ["a", "b"]);
        });
        expect(problems.list).toEqual(["plain", "a", "b"]);
    });

    it("hands back an attempt's result once nothing is wrong, and throws the whole list otherwise", () => {
        const passing = new Problems("Vault \"app\"");
        expect(passing.resultOf(passing.attempt(() => ({ sku: "standard" })))).toEqual({ sku: "standard" });
        expect(() => passing.resultOf(undefined)).toThrow('Vault "app": a check passed but gave no result.');

        const failing = new Problems("Vault \"app\"");
        failing.add("sku must be \"standard\" or \"premium\"; got \"free\".");
        const network = failing.attempt(() => {
            throw new ProblemsError("Vault \"app\"", ["network.allowedIps[0] is listed twice."]);
        });
        expect(() => failing.resultOf(network)).toThrow(
            new ProblemsError("Vault \"app\"", ["sku must be \"standard\" or \"premium\"; got \"free\".", "network.allowedIps[0] is listed twice."]),
        );
    });
});
