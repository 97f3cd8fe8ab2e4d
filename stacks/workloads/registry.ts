import { z } from "zod";
import { aksCluster } from "./aksCluster";
import { containerGroup } from "./containerGroup";
import { functionApp } from "./functionApp";
import { CommonWorkload, WorkloadKind } from "./kind";
import { linuxVm } from "./linuxVm";
import { logicApp } from "./logicApp";
import { webApp } from "./webApp";
import { windowsVm } from "./windowsVm";

/** Every workload kind a stack can declare. Adding one is its module plus one line here. */
export const workloadKinds = [linuxVm, windowsVm, webApp, functionApp, containerGroup, aksCluster, logicApp] as const;

export type WorkloadConfig = z.output<(typeof workloadKinds)[number]["schema"]>;

const byKind = new Map<string, WorkloadKind>(workloadKinds.map((kind) => [kind.kind, kind as unknown as WorkloadKind]));

export function workloadKind(kind: string): WorkloadKind | undefined {
    return byKind.get(kind);
}

export function workloadKindNames(): string[] {
    return workloadKinds.map((kind) => kind.kind);
}

export type { CommonWorkload };
