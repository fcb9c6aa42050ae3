// One side of a Negentropy reconciliation, driven line by line over stdin/stdout (the line protocol of
// hoytech/negentropy's test harnesses):
//   item,<timestamp>,<id hex>   add a record          frame,<bytes>   set the frame size limit (before seal)
//   seal                        no more records       initiate        print msg,<hex>
//   msg,<hex>                   reconcile: print have,<id> and need,<id> lines, then msg,<hex> or done
const readline = require('readline');
const { Negentropy, NegentropyStorageVector } = require('nostr-tools').nip77;

let storage = new NegentropyStorageVector();
let frameSizeLimit = 0;
let ne;
const out = [];
const flush = () => { process.stdout.write(out.join('\n') + '\n'); out.length = 0; };

readline.createInterface({ input: process.stdin, terminal: false }).on('line', (line) => {
  const [cmd, a, b] = line.trim().split(',');
  if (cmd === 'item') {
    storage.insert(parseInt(a), b);
  } else if (cmd === 'frame') {
    frameSizeLimit = parseInt(a);
  } else if (cmd === 'seal') {
    storage.seal();
    ne = new Negentropy(storage, frameSizeLimit);
  } else if (cmd === 'initiate') {
    out.push('msg,' + ne.initiate());
    flush();
  } else if (cmd === 'msg') {
    const response = ne.reconcile(a, (id) => out.push('have,' + id), (id) => out.push('need,' + id));
    out.push(response === null || response === undefined ? 'done' : 'msg,' + response);
    flush();
  } else if (cmd !== '') {
    throw new Error('unknown command: ' + cmd);
  }
});
