import { policyView, UNKNOWN_ARRAY, UNKNOWN_BOOLEAN, UNKNOWN_STRING } from "../testing";
import { isUnknown, isUnknownValueError, materialize, materializeProps, UNKNOWN } from "./unknown";

describe("unknown values as @pulumi/policy presents them", () => {
    const props = {
        httpsOnly: UNKNOWN_BOOLEAN,
        siteConfig: { minTlsVersion: "1.2", appSettings: [{ name: "a", value: UNKNOWN_STRING }, { name: "b", value: "x" }] },
        tags: UNKNOWN_ARRAY,
    };

    it("the SDK's proxy throws on reading an unknown field (so one unknown would skip a whole policy)", () => {
        const view = policyView(props);
        expect(() => view.httpsOnly).toThrow(/can't be known during preview/);
        let caught: unknown;
        try {
            void (view.siteConfig as { appSettings: { value: unknown }[] }).appSettings[0].value;
        } catch (error) {
            caught = error;
        }
        expect(isUnknownValueError(caught)).toBe(true);
        expect(isUnknownValueError(new Error("other"))).toBe(false);
    });

    it("materialize reads each field on its own and marks only the unknown ones", () => {
        const plain = materializeProps(policyView(props));
        expect(plain).toEqual({
            httpsOnly: UNKNOWN,
            siteConfig: { minTlsVersion: "1.2", appSettings: [{ name: "a", value: UNKNOWN }, { name: "b", value: "x" }] },
            tags: UNKNOWN,
        });
    });

    it("treats raw sentinel strings in plain data the same way", () => {
        expect(materializeProps(props)).toEqual(materializeProps(policyView(props)));
        expect(isUnknown(materialize(UNKNOWN_STRING))).toBe(true);
        expect(materialize(UNKNOWN)).toBe(UNKNOWN);
    });

    it("drops functions and promises, keeps ordinary values, and turns non-objects into an empty bag", () => {
        expect(materialize({ a: 1, b: true, c: null, d: () => 1, e: Promise.resolve(1), f: ["x"] })).toEqual({ a: 1, b: true, c: null, f: ["x"] });
        expect(materializeProps("x")).toEqual({});
        expect(materializeProps(undefined)).toEqual({});
    });

    it("passes through errors other than unknown reads", () => {
        const hostile = new Proxy({ a: 1 }, { get: () => { throw new Error("boom"); } });
        expect(() => materialize(hostile)).toThrow("boom");
    });
});
