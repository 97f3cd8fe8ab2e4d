import * as fs from "fs";
import * as os from "os";

/** The machine a run's figures come from; printed with every run and stored in results.json. */
export interface MachineInfo {
    cpuModel: string;
    cores: number;
    memoryGb: number;
    loadAverage: number[];
    node: string;
    platform: string;
    date: string;
}

export function machineInfo(): MachineInfo {
    const cpus = os.cpus();
    let cpuModel = cpus[0]?.model?.trim() ?? "unknown";
    if (!cpuModel || cpuModel === "unknown") {
        try {
            cpuModel = /model name\s*:\s*(.+)/.exec(fs.readFileSync("/proc/cpuinfo", "utf8"))?.[1]?.trim() ?? "unknown";
        } catch {
            cpuModel = "unknown";
        }
    }
    return {
        cpuModel,
        cores: cpus.length,
        memoryGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
        loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
        node: process.version,
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        date: new Date().toISOString(),
    };
}

export function describeMachine(info: MachineInfo): string {
    return `${info.cpuModel}, ${info.cores} cores, ${info.memoryGb} GB, Node ${info.node}, ${info.platform}, load ${info.loadAverage.join(" ")} at start, ${info.date}`;
}
