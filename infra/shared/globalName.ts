import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { NameKind, physicalName } from "./naming";

/**
 * The physical name of a resource whose name is a global DNS name (a registry, a SQL server, a messaging
 * namespace): `given` when set, else `<prefix><name>-<random suffix>`. The suffix, a child `<name>-suffix` of
 * `parent`, keeps stacks and re-creations apart.
 */
export function globalName(kind: NameKind, name: string, given: string | undefined, parent: pulumi.Resource): pulumi.Input<string> {
    if (given !== undefined) {
        return given;
    }
    const suffix = new random.RandomString(`${name}-suffix`, { length: 6, special: false, upper: false }, { parent });
    return suffix.result.apply((value) => physicalName(kind, name, value));
}
