// Tailwind CSS 4 reads its theme from app/globals.css (`@theme`); this file is loaded there with
// `@config` and only adds what CSS-first config cannot express: where the class names live.
import type { Config } from "tailwindcss";

const config: Config = {
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
};

export default config;
