import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The baseline: a bare node:http server in its own process that reads each body and answers
// 204, the least any HTTP ingest endpoint on this machine can do. Started by server.ts, which
// divides the server's ingest rate by this one's, measured in the same run with the same load.
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(204);
    res.end();
  });
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});
process.on('message', (m: { cmd?: string }) => {
  if (m.cmd === 'close') server.close(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
