import { checkPlanArgs, planSku, skuHosting } from "./plan";
import { defaultSiteName } from "./site";

describe("skuHosting", () => {
    it.each([
        ["Y1", "keyedContentShare"],
        ["EP1", "keyedContentShare"],
        ["ep2", "keyedContentShare"],
        ["FC1", "flex"],
        ["F1", "free"],
        ["B1", "dedicated"],
        ["P0v3", "dedicated"],
        ["P1mv3", "dedicated"],
    ])("classifies %s as %s", (sku, hosting) => {
        expect(skuHosting(sku)).toBe(hosting);
    });
});

describe("planSku and checkPlanArgs", () => {
    const existingPlanId = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/serverfarms/asp-shared";

    it("defaults a new plan's SKU and leaves an existing plan's unknown unless given", () => {
        expect(planSku(undefined, "B1")).toBe("B1");
        expect(planSku({ capacity: 2 }, "B1")).toBe("B1");
        expect(planSku({ existingPlanId }, "B1")).toBeUndefined();
        expect(planSku({ existingPlanId, sku: "P1v3" }, "B1")).toBe("P1v3");
    });

    it("names the offending plan argument", () => {
        expect(checkPlanArgs({ existingPlanId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app" })).toEqual([
            'plan.existingPlanId "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app" is not an App Service plan ID ' +
                "(/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Web/serverfarms/<name>).",
        ]);
        expect(checkPlanArgs({ sku: "Premium v3" })).toEqual(['plan.sku "Premium v3" is not an App Service SKU name; expected one like B1, S1, P0v3, P1v3 or FC1.']);
        expect(checkPlanArgs({ capacity: 0 })).toEqual(["plan.capacity is 0; expected a whole number of instances from 1 to 100."]);
        expect(checkPlanArgs({ sku: "P1v3", capacity: 3 })).toEqual([]);
    });
});

describe("defaultSiteName", () => {
    it("is stable per project, stack and name, and differs between stacks", () => {
        const flavor = { type: "WebApp", nameKind: "webApp" as const, maxDefaultNameLength: 60 };
        expect(defaultSiteName(flavor, "shop", "keyless", "dev")).toBe(defaultSiteName(flavor, "shop", "keyless", "dev"));
        expect(defaultSiteName(flavor, "shop", "keyless", "dev")).not.toBe(defaultSiteName(flavor, "shop", "keyless", "prod"));
        expect(defaultSiteName(flavor, "shop", "keyless", "dev")).toMatch(/^app-shop-[0-9a-f]{6}$/);
    });

    it("keeps function app names within 32 characters, where the Functions host ID is cut", () => {
        const flavor = { type: "FunctionApp", nameKind: "functionApp" as const, maxDefaultNameLength: 32 };
        const name = defaultSiteName(flavor, "inventory-reconciliation-nightly-batch", "keyless", "dev");
        expect(name.length).toBeLessThanOrEqual(32);
        expect(name).toMatch(/^func-inventory-[a-z-]*-?[0-9a-f]{6}$/);
    });
});
