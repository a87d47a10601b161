import type { Socket } from 'node:net';
import { type Command, Redis } from 'ioredis';

/**
 * An ioredis connection whose socket writes within one turn of the event loop leave as one `writev`.
 *
 * Under load the API answers many requests per turn, each sending a command or two. ioredis writes
 * every command to the socket on its own, and the system calls cost more than building the commands
 * (a third of a polling server's CPU in bench:api). Here the first command of a turn corks the socket
 * and a setImmediate uncorks it, after the turn's I/O callbacks have queued their commands: one system
 * call per turn, in the order the commands were sent. (ioredis' own enableAutoPipelining waits for
 * each pipeline's replies before sending the next one, which serialises the round trips instead.)
 */
export class CoalescingRedis extends Redis {
  override sendCommand(command: Command, stream?: Parameters<Redis['sendCommand']>[1]): unknown {
    const socket = this.stream as Socket | undefined;
    // A corked socket already has its uncork scheduled in this turn (ioredis never corks on its own).
    if (!stream && socket && socket.writableCorked === 0 && this.status === 'ready') {
      socket.cork();
      setImmediate(() => socket.uncork());
    }
    return super.sendCommand(command, stream);
  }
}
