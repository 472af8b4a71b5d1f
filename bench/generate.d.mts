// Types of the benchmark's generators (generate.mjs), for the test that checks what they write.
export function vpcModuleFiles(i: number): Record<string, string>;
export function vpcTemplate(i: number): string;
export function subnetModule(n: number): string;
export function writeTerraformTree(dir: string, n: number): number;
export function writeCloudFormationTree(dir: string, n: number): number;
export function writeSubnetModule(dir: string, n: number): number;
export function writeSmallModule(dir: string): number;
