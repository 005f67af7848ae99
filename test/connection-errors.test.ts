// The cause of a failed connection, classified from real errors: sockets to closed or hanging-up loopback ports,
// and a DNS answer from a loopback name server (no internet).
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionErrorFor, targetOf } from '../src/connection-errors.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** What a plain TCP connection to host:port fails with. */
function connectError(host: string, port: number): Promise<Error> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.once('error', resolve);
      socket.once('close', () => reject(new Error('closed without an error')));
    });
    socket.once('error', resolve);
  });
}

describe('connection errors: network causes', () => {
  it('a closed port is "connection refused … is <service> running?" for Redis and PostgreSQL', async () => {
    const port = await closedPort();
    const error = await connectError('127.0.0.1', port);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');

    const redis = connectionErrorFor(error, targetOf(`redis://127.0.0.1:${port}`, 'Redis'));
    expect(redis.problem).toBe('refused');
    expect(redis.lasting).toBe(false);
    expect(redis.message).toBe(`connection refused at 127.0.0.1:${port} — is Redis running?`);

    const postgres = connectionErrorFor(error, targetOf(`postgres://bot:hunter2@127.0.0.1:${port}/bot`, 'PostgreSQL'));
    expect(postgres.message).toBe(`connection refused at 127.0.0.1:${port} — is PostgreSQL running?`);
    expect(postgres.message).not.toContain('hunter2');
  });

  it('names the host as written in the URL, and the default port when the URL has none', async () => {
    const port = await closedPort();
    const error = await connectError('localhost', port);
    expect(connectionErrorFor(error, targetOf(`redis://localhost:${port}`, 'Redis')).message).toBe(
      `connection refused at localhost:${port} — is Redis running?`,
    );
    expect(targetOf('redis://cache.internal', 'Redis')).toEqual({ service: 'Redis', host: 'cache.internal', port: 6379 });
    expect(targetOf('postgres://db/bot', 'PostgreSQL').port).toBe(5432);
  });

  it('a server that hangs up at once is "closed the connection — is that <service>?"', async () => {
    const server = createServer((socket) => socket.resetAndDestroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const error = await connectError('127.0.0.1', port);
    expect((error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
    const classified = connectionErrorFor(error, targetOf(`postgres://127.0.0.1:${port}`, 'PostgreSQL'));
    expect(classified.problem).toBe('closed');
    expect(classified.message).toBe(`127.0.0.1:${port} closed the connection — is that PostgreSQL?`);
  });

  it('a name the DNS server does not know is "can\'t resolve host …"', async () => {
    // A loopback name server that answers every question with NXDOMAIN, as a real one does for an unknown name.
    const dns = createSocket('udp4');
    dns.on('message', (query, peer) => {
      let end = 12;
      while (query[end] !== 0) end += (query[end] ?? 0) + 1; // QNAME labels
      const question = query.subarray(12, end + 5); // name, its 0 byte, QTYPE, QCLASS
      const header = Buffer.from([query[0] ?? 0, query[1] ?? 0, 0x81, 0x83, 0, 1, 0, 0, 0, 0, 0, 0]);
      dns.send(Buffer.concat([header, question]), peer.port, peer.address);
    });
    await new Promise<void>((resolve) => dns.bind(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => dns.close(() => resolve())));
    const resolver = new Resolver({ timeout: 2_000, tries: 1 });
    resolver.setServers([`127.0.0.1:${dns.address().port}`]);
    const error = await resolver.resolve4('redis.nowhere.invalid').then(
      () => null,
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    expect(error?.code).toBe('ENOTFOUND');

    const classified = connectionErrorFor(error, targetOf('redis://redis.nowhere.invalid:6379', 'Redis'));
    expect(classified.problem).toBe('dns');
    expect(classified.message).toBe("can't resolve host redis.nowhere.invalid");
  });

  it('an error it does not know keeps its own message', () => {
    const classified = connectionErrorFor(new Error('something odd'), targetOf('redis://127.0.0.1', 'Redis'));
    expect(classified.problem).toBe('other');
    expect(classified.message).toBe('something odd');
  });
});

describe('connection errors: PostgreSQL answers', () => {
  // No PostgreSQL client is a dependency yet, so these are errors shaped as pg's DatabaseError is (an Error whose
  // `code` is the server's SQLSTATE and whose message is the server's text).
  const fromServer = (code: string, message: string): Error => Object.assign(new Error(message), { code });
  const target = targetOf('postgres://bot:hunter2@127.0.0.1:5432/bot', 'PostgreSQL');

  it('a refused password (28P01) or login (28000) is an auth problem that retrying will not fix', () => {
    for (const [code, text] of [
      ['28P01', 'password authentication failed for user "bot"'],
      ['28000', 'no pg_hba.conf entry for host "127.0.0.1", user "bot", database "bot", no encryption'],
    ] as const) {
      const classified = connectionErrorFor(fromServer(code, text), target);
      expect(classified.problem).toBe('auth');
      expect(classified.lasting).toBe(true);
      expect(classified.message).toBe(`PostgreSQL refused the login: ${text}`);
    }
  });

  it('a missing database (3D000) says so', () => {
    const classified = connectionErrorFor(fromServer('3D000', 'database "bot" does not exist'), target);
    expect(classified.problem).toBe('no-database');
    expect(classified.lasting).toBe(true);
    expect(classified.message).toBe('PostgreSQL: database "bot" does not exist');
  });
});
