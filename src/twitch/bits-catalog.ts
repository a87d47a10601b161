import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const CATALOG_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'content',
  'data',
  'bits-products.json',
);

const product = z.discriminatedUnion('effect', [
  z.object({
    sku: z.string().regex(/^[a-z0-9_]{1,64}$/),
    displayName: z.string().min(1),
    bits: z.number().int().positive(),
    description: z.string(),
    effect: z.literal('revive'),
    target: z.literal('survivor'),
  }),
  z.object({
    sku: z.string().regex(/^[a-z0-9_]{1,64}$/),
    displayName: z.string().min(1),
    bits: z.number().int().positive(),
    description: z.string(),
    effect: z.literal('supply_drop'),
    target: z.literal('lobby'),
  }),
  z.object({
    sku: z.string().regex(/^[a-z0-9_]{1,64}$/),
    displayName: z.string().min(1),
    bits: z.number().int().positive(),
    description: z.string(),
    effect: z.literal('title'),
    title: z.string().min(1).max(32),
  }),
]);

export type BitsProduct = z.infer<typeof product>;

const catalogSchema = z.object({ domain: z.string(), products: z.array(product).min(1) });

let loaded: Map<string, BitsProduct> | null = null;

/** The Bits products, by SKU: data, validated when first read. */
export function bitsCatalog(): Map<string, BitsProduct> {
  if (loaded) return loaded;
  const parsed = catalogSchema.parse(JSON.parse(readFileSync(CATALOG_FILE, 'utf8')));
  loaded = new Map(parsed.products.map((p) => [p.sku, p]));
  if (loaded.size !== parsed.products.length) throw new Error('bits-products.json repeats a SKU');
  return loaded;
}
