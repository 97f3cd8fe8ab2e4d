import * as pulumi from "@pulumi/pulumi";
import * as web from "@pulumi/azure-native/web";
import { physicalName } from "../shared/naming";
import { Tags } from "../shared/tags";

/** A new Linux App Service plan for the site. */
export interface NewPlanArgs {
    /** SKU name such as `B1`, `P0v3`, `P1v3` (or `FC1` for a function app). Defaults to the component's default. */
    sku?: string;
    /** Physical name. Defaults to `asp-<name>`. */
    planName?: string;
    /** Number of instances. Defaults to Azure's default (1). Not used by Flex Consumption, which scales by itself. */
    capacity?: number;
}

/** A plan that already exists, for example one shared by several apps. It must be a Linux plan. */
export interface ExistingPlanArgs {
    existingPlanId: pulumi.Input<string>;
    /**
     * The existing plan's SKU. A function app requires it, because the SKU decides whether the app can run without
     * a storage key. Defaults to unknown (web apps only).
     */
    sku?: string;
}

export type PlanArgs = NewPlanArgs | ExistingPlanArgs;

/**
 * How a SKU hosts an app. `keyedContentShare`: Consumption (Y1) and Elastic Premium (EP1-3) mount the app's
 * content from an Azure Files share, and Azure Files offers no identity-based auth for that mount, so those plans
 * need a storage key. `flex`: Flex Consumption (FC1) deploys from a blob container through an identity.
 */
export type SkuHosting = "dedicated" | "free" | "keyedContentShare" | "flex";

const skuPattern = /^[A-Za-z]{1,3}[0-9][A-Za-z0-9]{0,4}$/;

/**
 * App Service plan SKU names that stack config offers: Free and Shared, Basic, Standard, Premium v2, v3 and
 * memory-optimized v3, Isolated v2, Functions Consumption, Elastic Premium and Flex Consumption
 * (https://azure.microsoft.com/pricing/details/app-service/linux/). Components take any well-formed name.
 */
export const appServicePlanSkus = [
    "F1", "D1", "B1", "B2", "B3", "S1", "S2", "S3", "P1v2", "P2v2", "P3v2", "P0v3", "P1v3", "P2v3", "P3v3",
    "P1mv3", "P2mv3", "P3mv3", "P4mv3", "P5mv3", "I1v2", "I2v2", "I3v2", "I4v2", "I5v2", "I6v2", "Y1", "EP1", "EP2", "EP3", "FC1",
] as const;

export function skuHosting(sku: string): SkuHosting {
    const upper = sku.toUpperCase();
    if (upper === "Y1" || /^EP[1-3]$/.test(upper)) {
        return "keyedContentShare";
    }
    if (upper === "FC1") {
        return "flex";
    }
    if (upper === "F1" || upper === "D1") {
        return "free";
    }
    return "dedicated";
}

/** The SKU the component will use, or undefined for an existing plan whose SKU was not given. */
export function planSku(plan: PlanArgs | undefined, defaultSku: string): string | undefined {
    if (plan && "existingPlanId" in plan) {
        return plan.sku;
    }
    return plan?.sku ?? defaultSku;
}

/** Problems with the plan arguments that apply to every site. */
export function checkPlanArgs(plan: PlanArgs | undefined): string[] {
    const problems: string[] = [];
    if (!plan) {
        return problems;
    }
    if ("existingPlanId" in plan) {
        if ("planName" in plan || "capacity" in plan) {
            problems.push(`plan has existingPlanId together with planName or capacity; give one or the other.`);
        }
        if (typeof plan.existingPlanId === "string" && !/\/providers\/Microsoft\.Web\/serverfarms\/[^/]+$/i.test(plan.existingPlanId)) {
            problems.push(
                `plan.existingPlanId "${plan.existingPlanId}" is not an App Service plan ID ` +
                    `(/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Web/serverfarms/<name>).`,
            );
        }
    } else if (plan.capacity !== undefined && (!Number.isInteger(plan.capacity) || plan.capacity < 1 || plan.capacity > 100)) {
        problems.push(`plan.capacity is ${plan.capacity}; expected a whole number of instances from 1 to 100.`);
    }
    if (plan.sku !== undefined && !skuPattern.test(plan.sku)) {
        problems.push(`plan.sku "${plan.sku}" is not an App Service SKU name; expected one like B1, S1, P0v3, P1v3 or FC1.`);
    }
    return problems;
}

/**
 * Declares a Linux plan (or takes the existing one) and returns its ID. For dedicated SKUs only the name is sent:
 * Azure derives the tier from it, so no tier table here can fall out of date.
 */
export function declarePlan(
    name: string,
    args: { resourceGroupName: pulumi.Input<string>; location?: pulumi.Input<string>; tags?: Tags },
    plan: PlanArgs | undefined,
    sku: string,
    parent: pulumi.Resource,
): { planId: pulumi.Output<string>; plan?: web.AppServicePlan } {
    if (plan && "existingPlanId" in plan) {
        return { planId: pulumi.output(plan.existingPlanId) };
    }
    const flex = skuHosting(sku) === "flex";
    const created = new web.AppServicePlan(
        `${name}-plan`,
        {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            name: plan?.planName ?? physicalName("appServicePlan", name),
            // Linux: `reserved` is what makes a plan Linux; Flex Consumption plans are kind functionapp.
            kind: flex ? "functionapp" : "linux",
            reserved: true,
            // Flex Consumption is the one SKU Microsoft's templates always declare with its tier.
            sku: flex ? { name: sku, tier: "FlexConsumption" } : { name: sku, capacity: plan?.capacity },
            tags: args.tags,
        },
        { parent },
    );
    return { planId: created.id, plan: created };
}
