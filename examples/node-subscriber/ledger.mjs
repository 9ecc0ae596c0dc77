// Decoding Tally's events with nothing but the published .avsc files and the `avsc` library.
// docs/subscribers.md in the repository is the contract this follows.
import avro from 'avsc';
import fs from 'node:fs';
import path from 'node:path';

// Amounts, balances and timestamps are 64-bit: a JavaScript number is exact only to 2^53, so every
// Avro long becomes a BigInt (the pattern from avsc's documentation).
const BigLong = avro.types.LongType.__with({
  fromBuffer: (buf) => buf.readBigInt64LE(),
  toBuffer: (n) => {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt(n));
    return buf;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n) => typeof n === 'bigint',
  compare: (a, b) => (a === b ? 0 : a < b ? -1 : 1),
});

// CRC-64-AVRO (Rabin), over the schema's Parsing Canonical Form, as Avro's specification defines it.
const EMPTY = 0xc15d213aa4d7a795n;
const TABLE = Array.from({ length: 256 }, (_, i) => {
  let fp = BigInt(i);
  for (let j = 0; j < 8; j++) fp = (fp >> 1n) ^ (EMPTY & -(fp & 1n));
  return fp;
});

export function fingerprint(canonicalForm) {
  let fp = EMPTY;
  for (const byte of Buffer.from(canonicalForm, 'utf8')) fp = (fp >> 8n) ^ TABLE[Number((fp ^ BigInt(byte)) & 0xffn)];
  return fp;
}

/** The header's form of a fingerprint: the hex of the 64-bit number, most significant digit first. */
export const fingerprintHex = (fp) => fp.toString(16).padStart(16, '0');

/**
 * Every released version of every type, from schemas/src/main/avro-history/<Type>/v<N>.avsc (each
 * file stands alone), indexed by fingerprint, with a resolver into the type's newest version.
 */
export function loadSchemas(historyDir) {
  const byFingerprint = new Map();
  const newest = new Map();
  for (const type of fs.readdirSync(historyDir).sort()) {
    const versions = fs.readdirSync(path.join(historyDir, type))
      .map((file) => /^v(\d+)\.avsc$/.exec(file))
      .filter(Boolean)
      .map((match) => Number(match[1]))
      .sort((a, b) => a - b);
    const parsed = versions.map((version) => {
      const json = JSON.parse(fs.readFileSync(path.join(historyDir, type, `v${version}.avsc`), 'utf8'));
      // A fresh registry per file: two versions of a type share names.
      const avroType = avro.Type.forSchema(json, {
        registry: { long: BigLong },
        // A long with a logical type (meta.occurredAt, timestamp-micros) is a BigInt as well.
        typeHook: (schema) => (schema && schema.type === 'long' ? BigLong : undefined),
      });
      return { type, version, avroType, fingerprint: fingerprint(JSON.stringify(avroType.schema())) };
    });
    const reader = parsed[parsed.length - 1];
    newest.set(type, reader);
    for (const writer of parsed) {
      byFingerprint.set(writer.fingerprint, {
        ...writer,
        reader: reader.avroType,
        resolver: writer === reader ? null : reader.avroType.createResolver(writer.avroType),
      });
    }
  }
  return { byFingerprint, knowsType: (type) => newest.has(type), newest };
}

/**
 * Computed fields the Java deserializer supplies on read, keyed by the writer's version, never by
 * the value (see "Upcasting rules" in docs/subscribers.md). A v1 withdrawal resolves into v3 with
 * balanceBeforeMinor null (unknown); v2 and v3 ones keep what they carry, -1n included.
 */
const UPCASTERS = {
  'FundsWithdrawn@1': (event) => ({ ...event, balanceBeforeMinor: event.balanceAfterMinor + event.amountMinor }),
};

export class UnknownSchema extends Error {}

/** Decodes one value: `C3 01`, the writer's fingerprint (8 bytes, little-endian), the Avro body. */
export function decode(schemas, value) {
  if (value.length < 10 || value[0] !== 0xc3 || value[1] !== 0x01) {
    throw new Error('not Avro single-object encoding (no C3 01 marker)');
  }
  const fp = value.readBigUInt64LE(2);
  const writer = schemas.byFingerprint.get(fp);
  if (!writer) throw new UnknownSchema(`unknown writer schema ${fingerprintHex(fp)}`);
  const body = value.subarray(10);
  const record = writer.resolver ? writer.reader.fromBuffer(body, writer.resolver) : writer.reader.fromBuffer(body);
  const plain = { ...record, meta: { ...record.meta } };
  const upcast = UPCASTERS[`${writer.type}@${writer.version}`];
  return { type: writer.type, version: writer.version, fingerprint: fp, event: upcast ? upcast(plain) : plain };
}
