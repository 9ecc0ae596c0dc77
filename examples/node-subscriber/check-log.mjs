#!/usr/bin/env node
// Reads a recorded tally.ledger.events log and checks what a subscriber relies on: every record
// decodes with only the .avsc files, headers (when present) agree with the value, per-account
// sequences are gapless, each money event's balance follows from the one before, every saga step's
// cause is an event in the log, and per currency the balances add up to deposits - withdrawals -
// money in flight. Prints a summary as JSON; exits 1 listing what is wrong.
//
//   node check-log.mjs <recorded-log.jsonl> [<schemas/src/main/avro-history>]
//
// One record per line: {"partition", "offset", "key", "headers": {name: utf-8 value}, "value": base64}.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decode, fingerprintHex, loadSchemas, UnknownSchema } from './ledger.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [logFile, historyDir = path.join(here, '../../schemas/src/main/avro-history')] = process.argv.slice(2);
if (!logFile) {
  console.error('usage: node check-log.mjs <recorded-log.jsonl> [<avro-history dir>]');
  process.exit(2);
}

const schemas = loadSchemas(historyDir);
const problems = [];
const accounts = new Map(); // accountId -> { currency, sequence, balance }
const totals = new Map(); // currency -> { deposits, withdrawals, inFlight }
const eventIds = new Set();
const causes = [];
const summary = { records: 0, events: 0, duplicates: 0, skipped: 0, withoutHeaders: 0, upcast: 0 };

const records = fs.readFileSync(logFile, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
// Order matters only within a partition (one account's events are all in one).
records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);

for (const record of records) {
  summary.records++;
  const where = `partition ${record.partition} offset ${record.offset}`;
  const headers = record.headers || {};
  const value = Buffer.from(record.value, 'base64');
  const headerType = headers['tally.event-type'];
  if (headerType === undefined) summary.withoutHeaders++;
  if (headerType !== undefined && !schemas.knowsType(headerType)) {
    summary.skipped++; // a type newer than these schemas: skip it, by the header, without decoding
    continue;
  }
  let decoded;
  try {
    decoded = decode(schemas, value);
  } catch (e) {
    if (e instanceof UnknownSchema && headerType === undefined) {
      summary.skipped++; // no header and an unknown fingerprint: a type (or version) we cannot know
      continue;
    }
    problems.push(`${where}: ${e.message}${headerType ? ` (header says ${headerType}: update the schemas)` : ''}`);
    continue;
  }
  const { type, version, fingerprint, event } = decoded;
  const { meta } = event;
  if (headerType !== undefined && headerType !== type) problems.push(`${where}: header says ${headerType}, value is ${type}`);
  const headerFp = headers['tally.schema-fingerprint'];
  if (headerFp !== undefined && headerFp !== fingerprintHex(fingerprint)) {
    problems.push(`${where}: header fingerprint ${headerFp}, value's ${fingerprintHex(fingerprint)}`);
  }
  if (record.key !== meta.accountId) problems.push(`${where}: key ${record.key} but meta.accountId ${meta.accountId}`);

  const account = accounts.get(meta.accountId) || { currency: null, sequence: 0n, balance: 0n };
  if (meta.sequence <= account.sequence) {
    summary.duplicates++; // a redelivery: already applied
    continue;
  }
  if (meta.sequence !== account.sequence + 1n) {
    problems.push(`${where}: ${meta.accountId} jumps from sequence ${account.sequence} to ${meta.sequence}`);
  }
  account.sequence = meta.sequence;
  summary.events++;
  if (type === 'FundsWithdrawn' && version === 1) summary.upcast++;
  eventIds.add(meta.eventId);
  if (meta.causationId !== null && meta.causationId !== meta.commandId) causes.push({ where, type, cause: meta.causationId });

  const signed = applyToBalance(type, event, account, where);
  if (signed !== null) {
    account.balance += signed;
    if (event.balanceAfterMinor !== account.balance) {
      problems.push(`${where}: ${meta.accountId} ${type} says balance ${event.balanceAfterMinor}, the log adds up to ${account.balance}`);
      account.balance = event.balanceAfterMinor;
    }
  }
  accounts.set(meta.accountId, account);
}

for (const { where, type, cause } of causes) {
  if (!eventIds.has(cause)) problems.push(`${where}: ${type}'s cause ${cause} is no event in the log`);
}
for (const [currency, total] of totals) {
  let balances = 0n;
  for (const account of accounts.values()) if (account.currency === currency) balances += account.balance;
  const expected = total.deposits - total.withdrawals - total.inFlight;
  Object.assign(total, { balances });
  if (balances !== expected) {
    problems.push(`${currency}: balances add up to ${balances}, deposits - withdrawals - in flight to ${expected}`);
  }
}

summary.accounts = accounts.size;
summary.currencies = Object.fromEntries([...totals].map(([currency, t]) => [currency,
  Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.toString()]))]));
console.log(JSON.stringify(summary));
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}

/** What the event does to its account's balance (docs/subscribers.md); null for events that move nothing. */
function applyToBalance(type, event, account, where) {
  const total = (currency) => {
    if (!totals.has(currency)) totals.set(currency, { deposits: 0n, withdrawals: 0n, inFlight: 0n });
    return totals.get(currency);
  };
  switch (type) {
    case 'AccountOpened':
      account.currency = event.currency;
      total(event.currency);
      return null;
    case 'FundsDeposited':
      total(event.currency).deposits += event.amountMinor;
      return event.amountMinor;
    case 'FundsWithdrawn':
      if (event.balanceBeforeMinor !== account.balance) {
        problems.push(`${where}: balanceBeforeMinor ${event.balanceBeforeMinor}, the log says ${account.balance}`);
      }
      total(event.currency).withdrawals += event.amountMinor;
      return -event.amountMinor;
    case 'TransferDebited':
      total(event.currency).inFlight += event.amountMinor;
      return -event.amountMinor;
    case 'TransferCredited':
    case 'TransferRefunded':
      // The money lands (on the target, or back on the source): no longer in flight. A credit's debit
      // is on another partition, read before or after it: the sum is right once both are read.
      total(event.currency).inFlight -= event.amountMinor;
      return event.amountMinor;
    case 'TransferCompleted':
      return null; // bookkeeping on the source: moves nothing
    default:
      return null; // AccountFrozen, AccountUnfrozen, AccountClosed and types added later that move no money
  }
}
