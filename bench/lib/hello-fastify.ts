/**
 * A Fastify hello-world in its own process, for the idle-RSS comparison:
 * `node bench/lib/hello-fastify.ts <port>`; prints `listening on URL`.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
const address = await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening on ${address}\n`);
const stop = () => void app.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
