/** The security headers every response carries (see security-headers.mjs). */
export declare const SECURITY_HEADERS: ReadonlyArray<{ readonly key: string; readonly value: string }>;
