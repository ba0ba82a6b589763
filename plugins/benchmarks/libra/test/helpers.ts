import { fixtureFiles } from "@loomscope/testkit";

/** Fixtures live in test/fixtures; PARITY_FIXTURES points at another set (e.g. made with another --seed). */
const files = fixtureFiles(new URL("./fixtures/", import.meta.url));
export const fixturePath = files.path;
export const fixture = files.json;
export const fixtureText = files.text;
