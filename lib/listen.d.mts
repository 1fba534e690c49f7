export declare const DEFAULT_HOST: string;
export declare function hostnameFlag(args: readonly string[]): string | undefined;
export declare function openUrl(host: string, port: number | string): string;
