import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

export type EventListener = (message: unknown) => void;

/**
 * Publish/subscribe between processes (progress of a job rendered by a worker reaching
 * the API process that holds the user's SSE connection; cancel requests reaching the
 * worker). In-process in the embedded default, Redis pub/sub when scaled.
 */
export interface EventBus {
  publish(channel: string, message: unknown): Promise<void>;
  /** Resolves, once messages published from now on will be delivered, with the function that unsubscribes. */
  subscribe(channel: string, listener: EventListener): Promise<() => void>;
  close(): Promise<void>;
}

export const EVENT_BUS = Symbol('EVENT_BUS');

export class LocalEventBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(channel: string, message: unknown): Promise<void> {
    // Same contract as Redis: listeners receive a copy, asynchronously.
    const copy: unknown = JSON.parse(JSON.stringify(message));
    queueMicrotask(() => this.emitter.emit(channel, copy));
  }

  async subscribe(channel: string, listener: EventListener): Promise<() => void> {
    this.emitter.on(channel, listener);
    return () => this.emitter.off(channel, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/**
 * Redis pub/sub: one connection publishes, one subscribes; a channel is subscribed in
 * Redis while at least one local listener wants it.
 */
export class RedisEventBus implements EventBus {
  private readonly listeners = new Map<string, Set<EventListener>>();
  private readonly subscribing = new Map<string, Promise<unknown>>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix = 'texttune:events:',
  ) {
    subscriber.on('message', (channel: string, raw: string) => {
      const set = this.listeners.get(channel.slice(this.prefix.length));
      if (!set) return;
      let message: unknown;
      try {
        message = JSON.parse(raw);
      } catch {
        return;
      }
      for (const listener of set) listener(message);
    });
  }

  async publish(channel: string, message: unknown): Promise<void> {
    await this.publisher.publish(this.prefix + channel, JSON.stringify(message));
  }

  async subscribe(channel: string, listener: EventListener): Promise<() => void> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.subscribing.set(channel, this.subscriber.subscribe(this.prefix + channel));
    }
    set.add(listener);
    await this.subscribing.get(channel);
    return () => {
      const current = this.listeners.get(channel);
      if (!current?.delete(listener) || current.size) return;
      this.listeners.delete(channel);
      this.subscribing.delete(channel);
      void this.subscriber.unsubscribe(this.prefix + channel).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
