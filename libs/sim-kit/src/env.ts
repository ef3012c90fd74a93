/** Port and host for a simulator's main.ts: loopback by default, 0.0.0.0 only when a container asks for it. */
export function simulatorListenConfig(defaultPort: number): { port: number; host: string } {
  const port = Number(process.env.PORT ?? defaultPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
  return { port, host: process.env.HOST ?? '127.0.0.1' };
}
