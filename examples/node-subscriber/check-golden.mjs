#!/usr/bin/env node
// Decodes every golden fixture (schemas/src/test/resources/golden/<Type>/v<N>.bin: the bytes a
// producer of that version wrote) with only the .avsc files, and compares it with the fixture's
// v<N>.json (the same sample in Avro's JSON encoding). Exits 1 naming each difference.
//
//   node check-golden.mjs [<golden dir>] [<avro-history dir>]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode, loadSchemas } from './ledger.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [goldenDir = path.join(here, '../../schemas/src/test/resources/golden'),
  historyDir = path.join(here, '../../schemas/src/main/avro-history')] = process.argv.slice(2);
const schemas = loadSchemas(historyDir);
const problems = [];
let checked = 0;

for (const type of fs.readdirSync(goldenDir).filter((name) => !name.startsWith('.')).sort()) {
  for (const file of fs.readdirSync(path.join(goldenDir, type)).filter((name) => name.endsWith('.bin')).sort()) {
    const version = Number(/^v(\d+)\.bin$/.exec(file)[1]);
    const where = `${type} v${version}`;
    const decoded = decode(schemas, fs.readFileSync(path.join(goldenDir, type, file)));
    if (decoded.type !== type || decoded.version !== version) {
      problems.push(`${where}: the fingerprint names ${decoded.type} v${decoded.version}`);
    }
    const expected = unwrap(JSON.parse(fs.readFileSync(path.join(goldenDir, type, `v${version}.json`), 'utf8')));
    compare(where, expected, decoded.event);
    if (type === 'FundsWithdrawn' && version === 1
        && decoded.event.balanceBeforeMinor !== decoded.event.balanceAfterMinor + decoded.event.amountMinor) {
      problems.push(`${where}: not upcast (balanceBeforeMinor ${decoded.event.balanceBeforeMinor})`);
    }
    checked++;
  }
}
console.log(JSON.stringify({ fixtures: checked }));
if (problems.length || checked === 0) {
  console.error(problems.join('\n') || 'no fixtures found');
  process.exit(1);
}

/** Avro's JSON encoding wraps a union's non-null value as {"<branch>": value}; unwrap it. */
function unwrap(value) {
  if (Array.isArray(value)) return value.map(unwrap);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && ['string', 'long', 'int', 'boolean', 'double', 'float', 'map', 'array'].includes(keys[0])) {
    return unwrap(value[keys[0]]);
  }
  return Object.fromEntries(keys.map((key) => [key, unwrap(value[key])]));
}

/** Every field the writer wrote must decode to the same value (fields added by upcasting are extra). */
function compare(where, expected, actual) {
  if (expected !== null && typeof expected === 'object') {
    for (const key of Object.keys(expected)) compare(`${where}.${key}`, expected[key], actual?.[key]);
    return;
  }
  const same = typeof actual === 'bigint' ? typeof expected === 'number' && BigInt(expected) === actual : expected === actual;
  if (!same) problems.push(`${where}: expected ${expected}, decoded ${actual}`);
}
