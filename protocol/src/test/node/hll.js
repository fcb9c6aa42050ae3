// NIP-45 HyperLogLog as nostr-tools computes it, for CountHllReferenceTest. Reads stdin: a line
// "case,<tag value>", then "pubkey,<hex>" lines, then "end", as many times as wanted; prints
// "offset,<n>" and "hll,<512 hex>" for each case.
const readline = require('readline');
const { computeOffset, newHll, feedPubkey, hllEncode } = require('nostr-tools/nip45');

let offset;
let hll;
readline.createInterface({ input: process.stdin, terminal: false }).on('line', (line) => {
  const comma = line.indexOf(',');
  const cmd = comma < 0 ? line.trim() : line.slice(0, comma);
  const arg = comma < 0 ? '' : line.slice(comma + 1);
  if (cmd === 'case') {
    offset = computeOffset(arg);
    hll = newHll();
  } else if (cmd === 'pubkey') {
    hll = feedPubkey(hll, arg, offset);
  } else if (cmd === 'end') {
    process.stdout.write('offset,' + offset + '\nhll,' + hllEncode(hll) + '\n');
  } else if (cmd !== '') {
    throw new Error('unknown command: ' + cmd);
  }
});
