// The agents the master knows: soft state learnt from heartbeats, so a restarted master
// relearns its cluster without any persistence.
import type { Logger } from 'pino';
import type { AgentHeartbeat__Output } from '@gleam/proto';

export interface AgentRecord {
  address: string;
  executors: number;
  memoryMb: number;
  busy: number;
  shardMemoryBytes: number;
  spilledBytes: number;
  shards: number;
  version: string;
  startedMs: number;
  registeredMs: number;
  lastHeartbeatMs: number;
  alive: boolean;
  deadSinceMs: number;
  /** The heartbeat stream that speaks for the agent now (an older stream's end must not kill it). */
  stream: object | undefined;
}

export interface AgentRegistryOptions {
  deadAfterMs: number;
  /** How long a dead agent stays listed (for the status page) before it is forgotten. */
  forgetDeadAfterMs: number;
  logger: Logger;
  /** Called once each time an agent goes from alive to dead. */
  onDead: (agent: AgentRecord, reason: string) => void;
  /** Called when an agent declared dead speaks again (the same process: it may still hold work). */
  onRevived?: (agent: AgentRecord) => void;
}

export class AgentRegistry {
  private readonly agents = new Map<string, AgentRecord>();

  constructor(private readonly opts: AgentRegistryOptions) {}

  /** Records one heartbeat received on `stream`; registers or revives the agent. */
  heartbeat(hb: AgentHeartbeat__Output, stream: object, now = Date.now()): AgentRecord {
    let agent = this.agents.get(hb.address);
    const figures = {
      executors: Math.max(0, hb.executors | 0),
      memoryMb: Math.max(0, Number(hb.memoryMb) || 0),
      busy: Math.max(0, hb.busyExecutors | 0),
      shardMemoryBytes: Math.max(0, Number(hb.shardMemoryBytes) || 0),
      spilledBytes: Math.max(0, Number(hb.spilledBytes) || 0),
      shards: Math.max(0, hb.shards | 0),
      version: hb.version ?? '',
      startedMs: Number(hb.startedMs) || 0,
    };
    if (!agent) {
      agent = { address: hb.address, ...figures, registeredMs: now, lastHeartbeatMs: now, alive: true, deadSinceMs: 0, stream };
      this.agents.set(hb.address, agent);
      this.opts.logger.info({ agent: hb.address, executors: figures.executors, memoryMb: figures.memoryMb, version: figures.version }, 'agent registered');
      return agent;
    }
    if (!agent.alive) {
      this.opts.logger.info({ agent: hb.address, executors: figures.executors, deadForMs: now - agent.deadSinceMs }, 'agent registered again');
      agent.alive = true;
      agent.deadSinceMs = 0;
      agent.registeredMs = now;
      // The same process (not a restart): what it still runs or holds for jobs belongs to nobody now.
      if (!agent.startedMs || !figures.startedMs || figures.startedMs === agent.startedMs) this.opts.onRevived?.(agent);
    } else if (agent.startedMs && figures.startedMs && figures.startedMs !== agent.startedMs) {
      // Same address, new process: whatever it held in memory (shards, running tasks) is gone.
      this.opts.logger.warn({ agent: hb.address }, 'agent restarted');
    }
    Object.assign(agent, figures);
    agent.lastHeartbeatMs = now;
    agent.stream = stream;
    return agent;
  }

  /** A heartbeat stream ended or failed: its agent is dead unless a newer stream took over. */
  streamClosed(address: string, stream: object, reason: string, now = Date.now()): void {
    const agent = this.agents.get(address);
    if (!agent || agent.stream !== stream) return;
    agent.stream = undefined;
    this.markDead(agent, reason, now);
  }

  /** Marks silent agents dead and forgets long-dead ones. */
  sweep(now = Date.now()): void {
    for (const agent of this.agents.values()) {
      if (agent.alive && now - agent.lastHeartbeatMs > this.opts.deadAfterMs) {
        this.markDead(agent, `no heartbeat for ${now - agent.lastHeartbeatMs} ms`, now);
      } else if (!agent.alive && now - agent.deadSinceMs > this.opts.forgetDeadAfterMs) {
        this.agents.delete(agent.address);
      }
    }
  }

  get(address: string): AgentRecord | undefined {
    return this.agents.get(address);
  }

  /** All known agents (alive and recently dead), sorted by address. */
  list(): AgentRecord[] {
    return [...this.agents.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }

  alive(): AgentRecord[] {
    return this.list().filter((a) => a.alive);
  }

  private markDead(agent: AgentRecord, reason: string, now: number): void {
    if (!agent.alive) return;
    agent.alive = false;
    agent.deadSinceMs = now;
    this.opts.logger.warn({ agent: agent.address, reason }, 'agent dead');
    this.opts.onDead(agent, reason);
  }
}
