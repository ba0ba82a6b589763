/**
 * The bind-time check of what engine accelerators ask of the backend, the same for every backend:
 * each directive must be one the backend plugin declares it honours (`BackendPlugin.directives`),
 * and a directive the spec's catalogue defines must carry the params the catalogue says. A refusal
 * names the backend, the directive, and the installed backends that do honour it.
 */
import { DirectiveUnhonouredError, directiveName, directiveSchema, parseMethodParams, type EngineDirective } from "@loomscope/spec";
import type { PluginRegistry } from "../plugins/registry.js";

export interface DirectiveHonours {
  backend: string;
  directives: readonly string[];
}

/** Throws `DirectiveUnhonouredError` (exit 2) or `DIRECTIVE_PARAMS`; `others` is asked only on a refusal. */
export async function checkDirectives(
  backend: DirectiveHonours,
  directives: readonly EngineDirective[],
  others: () => Promise<readonly DirectiveHonours[]>,
): Promise<void> {
  for (const directive of directives) {
    const name = directiveName(directive);
    if (!backend.directives.includes(name)) {
      const honouredBy = (await others()).filter((o) => o.backend !== backend.backend && o.directives.includes(name)).map((o) => o.backend);
      throw new DirectiveUnhonouredError(backend.backend, name, honouredBy);
    }
    const schema = directiveSchema(directive);
    // The accelerator resolved these; a mismatch is the accelerator disagreeing with the catalogue.
    if (schema) parseMethodParams(name, schema, directive.params, "DIRECTIVE_PARAMS");
  }
}

/** What every installed backend plugin declares (a plugin that fails to load honours nothing). */
export async function installedDirectiveHonours(registry: PluginRegistry): Promise<DirectiveHonours[]> {
  const out: DirectiveHonours[] = [];
  for (const found of registry.list("backend")) {
    const plugin = await registry.load("backend", found.manifest.id).catch(() => undefined);
    if (plugin) out.push({ backend: plugin.id, directives: plugin.directives ?? [] });
  }
  return out;
}
