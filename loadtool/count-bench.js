// NIP-45 COUNT latency: 8 connections, each sends ["COUNT", id, FILTER] N times in a row, one at a time.
//   node loadtool/count-bench.js ws://127.0.0.1:7777/ '{}' 5
// Prints how many COUNTs were answered, p50 and max latency, and one answer. Uses the ws package
// that .ci/node-setup installs under protocol/src/test/node (npm ci there).
const path = require('path');
const WebSocket = require(path.join(__dirname, '../protocol/src/test/node/node_modules/ws'));
const [url, filter, times] = [process.argv[2], process.argv[3] || '{}', parseInt(process.argv[4] || '5')];
const latencies = [];
let sample = '';
let finished = 0;
for (let c = 0; c < 8; c++) {
  const ws = new WebSocket(url);
  let sent = 0;
  let at = 0n;
  const next = () => {
    at = process.hrtime.bigint();
    ws.send(JSON.stringify(['COUNT', 'c' + c + '-' + sent, JSON.parse(filter)]));
  };
  ws.on('open', next);
  ws.on('error', (e) => { console.error('connection ' + c + ': ' + e.message); process.exit(1); });
  ws.on('message', (m) => {
    const s = m.toString();
    if (!s.startsWith('["COUNT"') && !s.startsWith('["CLOSED"')) return; // the AUTH challenge
    latencies.push(Number(process.hrtime.bigint() - at) / 1e6);
    sample = s;
    if (++sent < times) {
      next();
    } else {
      ws.close();
      if (++finished === 8) {
        latencies.sort((a, b) => a - b);
        console.log(latencies.length + ' COUNTs over 8 connections: p50 ' + latencies[latencies.length >> 1].toFixed(1)
            + ' ms, max ' + latencies[latencies.length - 1].toFixed(1) + ' ms; ' + sample);
      }
    }
  });
}
