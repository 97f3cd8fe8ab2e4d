import { PolicyPack } from "@pulumi/policy";
import { toPolicy } from "./lib/adapter";
import { allRules } from "./rules";

// Entry point the engine runs (`pulumi preview --policy-pack policies`). It only assembles rules; each rule lives in
// rules/<service>/<rule>.ts with its level, anchors and justification. Type tokens are matched as strings, so the
// pack never loads a provider SDK.
new PolicyPack("keyless", {
    description: "Keyless: no hard-coded secrets, every workload on a managed identity, least-privilege grants.",
    enforcementLevel: "advisory",
    policies: allRules.map((rule) => toPolicy(rule)),
});
