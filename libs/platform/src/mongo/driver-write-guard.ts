import { dirname } from 'node:path';
import { mongo } from 'mongoose';

interface DriverConnection {
  id: number | string;
  address: string;
  socket: { destroyed: boolean };
  cleanup(error: Error): void;
  writeCommand(command: unknown, options: unknown): Promise<void>;
}

let installed = false;

/**
 * Works around a hang in the MongoDB driver (6.x and 7.x): when the server closes every connection at
 * once (a restart), a socket can be destroyed before its 'close' event is handled. A command written
 * to it in that window makes `socket.write` return false without an error, and the driver waits for a
 * 'drain' that never comes: that operation hangs for good, and on the monitor's connection the server
 * stays Unknown forever. Failing the write as the network error it is lets the driver's own recovery
 * (pool clear, new connection, retry) take over. Reaches into a driver internal, so it checks the
 * shape first and does nothing when a driver version no longer has it.
 */
export function installDriverWriteGuard(): boolean {
  if (installed) return true;
  let Connection: { prototype: DriverConnection } | undefined;
  try {
    // The driver instance mongoose uses, wherever the package manager put it.
    const path = require.resolve('mongodb/lib/cmap/connection', { paths: [dirname(require.resolve('mongoose'))] });
    Connection = (require(path) as { Connection?: { prototype: DriverConnection } }).Connection;
  } catch {
    return false;
  }
  const write = Connection?.prototype.writeCommand;
  if (!Connection || typeof write !== 'function' || typeof Connection.prototype.cleanup !== 'function') return false;
  Connection.prototype.writeCommand = function guardedWrite(this: DriverConnection, command: unknown, options: unknown) {
    if (this.socket?.destroyed) {
      const error = new mongo.MongoNetworkError(`connection ${this.id} to ${this.address} closed`);
      this.cleanup(error);
      return Promise.reject(error);
    }
    return write.call(this, command, options);
  };
  installed = true;
  return true;
}
