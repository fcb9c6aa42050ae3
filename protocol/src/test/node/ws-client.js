// A NIP-77 client built on nostr-tools' Negentropy, over a plain WebSocket (ws), as a Nostr client
// would use it:  node ws-client.js <relay url> <filter json>  with its records on stdin as
// item,<timestamp>,<id hex> lines. Prints have,<id> and need,<id> lines, then done (or error,<reason>).
const readline = require('readline');
const WebSocket = require('ws');
const { Negentropy, NegentropyStorageVector } = require('nostr-tools').nip77;

const [url, filter] = process.argv.slice(2);
const storage = new NegentropyStorageVector();

readline.createInterface({ input: process.stdin, terminal: false })
  .on('line', (line) => {
    const [cmd, ts, id] = line.trim().split(',');
    if (cmd === 'item') storage.insert(parseInt(ts), id);
  })
  .on('close', () => {
    storage.seal();
    const neg = new Negentropy(storage, 60000);
    const ws = new WebSocket(url);
    const finish = (line) => { console.log(line); ws.close(); };
    ws.on('open', () => ws.send(JSON.stringify(['NEG-OPEN', 'n', JSON.parse(filter), neg.initiate()])));
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      if (m[0] === 'NEG-ERR') return finish('error,' + m[2]);
      if (m[0] !== 'NEG-MSG') return;
      const next = neg.reconcile(m[2], (id) => console.log('have,' + id), (id) => console.log('need,' + id));
      if (next) ws.send(JSON.stringify(['NEG-MSG', 'n', next]));
      else { ws.send(JSON.stringify(['NEG-CLOSE', 'n'])); finish('done'); }
    });
    ws.on('error', (e) => finish('error,' + e.message));
  });
