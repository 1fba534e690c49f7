// Types for scripts/dev-server.mjs (imported by test/dev-server.test.ts).
type Class = abstract new (...args: never[]) => object;
export declare const PREWARM: readonly string[];
export declare function skipStaticPathsWorker(DevServer?: Class): boolean;
export declare function quietClientAborts(DevServer?: Class): boolean;
export declare function clientWentAway(e: unknown): boolean;
export declare function devServer(opts: { host: string; port: number; prewarm: boolean }): Promise<void>;
