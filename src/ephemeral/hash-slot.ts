/**
 * Redis Cluster's key → slot function (CRC16-XMODEM of the key's hash tag, mod 16384), so that keys.ts
 * can choose hash tags that spread the schedule shards evenly over the slots, and the Redis store can
 * group a multi-key read by slot without asking the cluster.
 */
export const CLUSTER_SLOTS = 16_384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ byte) & 0xff]!;
  return crc;
}

const encoder = new TextEncoder();

/** The part of a key Redis Cluster hashes: the first non-empty `{...}`, else the whole key. */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return key.slice(open + 1, close);
  }
  return key;
}

/** The cluster slot of a key, as CLUSTER KEYSLOT answers it. */
export function hashSlot(key: string): number {
  return crc16(encoder.encode(hashTagOf(key))) % CLUSTER_SLOTS;
}
