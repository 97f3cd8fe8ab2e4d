import { isExempt, parseRuleConfig, ruleConfigSchema, ruleEntry } from "./config";

describe("rule config", () => {
    it("accepts no config and an empty exemption list", () => {
        expect(parseRuleConfig("r", undefined)).toEqual({ exemptions: [] });
        expect(parseRuleConfig("r", {})).toEqual({ exemptions: [] });
        expect(parseRuleConfig("r", { exemptions: [] })).toEqual({ exemptions: [] });
    });

    it("keeps exemptions that name a resource and give a reason", () => {
        const exemptions = [{ resource: "st-legacy", reason: "Consumption plan content share needs a key" }];
        expect(parseRuleConfig("r", { exemptions })).toEqual({ exemptions });
    });

    it.each([
        [{ exemptions: "st" }, 'Policy "r" config: exemptions must be an array of { resource, reason }; got "st".'],
        [{ exemptions: ["st"] }, 'Policy "r" config: exemptions[0] must be an object { resource, reason }; got "st".'],
        [{ exemptions: [{ reason: "x" }] }, "Policy \"r\" config: exemptions[0].resource must be the resource's logical name or URN; got nothing."],
        [{ exemptions: [{ resource: "st" }] }, 'Policy "r" config: exemptions[0].reason must be a non-empty explanation of why "st" is exempt; got nothing.'],
        [{ exemptions: [{ resource: "st", reason: "" }] }, 'Policy "r" config: exemptions[0].reason must be a non-empty explanation of why "st" is exempt; got "".'],
        [[], 'Policy "r" config must be an object like { "exemptions": [...] }; got an array.'],
    ])("rejects %j", (config, message) => {
        expect(() => parseRuleConfig("r", config)).toThrow(message);
    });

    it("matches exemptions by logical name or URN", () => {
        const exemptions = [{ resource: "a", reason: "x" }, { resource: "urn:pulumi:dev::keyless::t::b", reason: "y" }];
        expect(isExempt(exemptions, "a")).toBe(true);
        expect(isExempt(exemptions, "b", "urn:pulumi:dev::keyless::t::b")).toBe(true);
        expect(isExempt(exemptions, "b", "urn:pulumi:prod::keyless::t::b")).toBe(false);
    });

    it("reads pack config entries: a bare level, or a level with exemptions", () => {
        expect(ruleEntry("r", "mandatory")).toEqual({ level: "mandatory", config: { exemptions: [] } });
        expect(ruleEntry("r", { enforcementLevel: "advisory", exemptions: [{ resource: "a", reason: "b" }] })).toEqual({
            level: "advisory",
            config: { exemptions: [{ resource: "a", reason: "b" }] },
        });
        expect(ruleEntry("r", undefined)).toEqual({ config: { exemptions: [] } });
        expect(() => ruleEntry("r", "strict" as never)).toThrow('Policy "r": enforcementLevel must be one of mandatory, advisory, disabled, remediate; got "strict".');
    });

    it("declares a schema that requires a non-blank reason and leaves enforcementLevel to the engine", () => {
        const item = ruleConfigSchema.properties.exemptions.items;
        expect(item.required).toEqual(["resource", "reason"]);
        expect(item.properties.reason.minLength).toBe(1);
        expect(new RegExp(item.properties.reason.pattern).test("   ")).toBe(false);
        expect(Object.keys(ruleConfigSchema.properties)).not.toContain("enforcementLevel");
    });
});
