// lib/registry/formats reads "provider/model" back with the provider kinds lib/llm connects to; registry
// may not import llm, so the list is kept in both places and compared here.
import { expect, it } from "vitest";
import { providerKinds } from "@/lib/llm/connection";
import { knownProviders } from "@/lib/registry/formats/model-config";

it("the formats know the providers Lectern connects to", () => {
  expect([...knownProviders].sort()).toEqual([...providerKinds].sort());
});
