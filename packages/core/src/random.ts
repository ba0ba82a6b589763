/**
 * The seeded PRNG (mulberry32) generated data and fault plans draw from: the same seed gives the
 * same sequence on every machine and Node version. One implementation, in metrics.
 */
export { mulberry32 as seededRandom } from "@loomscope/metrics";
