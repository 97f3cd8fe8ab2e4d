export * from "./ssh";
export * from "./cloudInit";
export * from "./vmShared";
export * from "./LinuxVm";
export * from "./WindowsVm";
