// Executor slots granted to jobs, per agent. The only invariant that matters: an agent never
// has more slots granted (over all jobs) than it has executors.

export interface Grant {
  agent: string;
  slots: number;
}

export interface SlotOffer {
  address: string;
  executors: number;
}

export class SlotAllocator {
  /** jobId -> agent -> slots. */
  private readonly byJob = new Map<string, Map<string, number>>();
  /** agent -> slots granted over all jobs (kept in step with byJob). */
  private readonly byAgent = new Map<string, number>();
  /** Rotates the first agent served, so successive small requests land on different agents. */
  private cursor = 0;

  /**
   * Grants up to `want` slots to `jobId` from the free executors of `agents` (the alive ones),
   * one slot per agent in turn; returns what this call granted (possibly nothing).
   */
  allocate(jobId: string, want: number, agents: SlotOffer[]): Grant[] {
    const n = agents.length;
    if (want <= 0 || n === 0) return [];
    const free = agents.map((a) => Math.max(0, a.executors - this.allocatedOn(a.address)));
    const got = new Array<number>(n).fill(0);
    const start = this.cursor++ % n;
    let left = want;
    for (let progressed = true; left > 0 && progressed; ) {
      progressed = false;
      for (let k = 0; k < n && left > 0; k++) {
        const i = (start + k) % n;
        if (got[i] < free[i]) {
          got[i]++;
          left--;
          progressed = true;
        }
      }
    }
    const grants: Grant[] = [];
    let job = this.byJob.get(jobId);
    for (let i = 0; i < n; i++) {
      if (got[i] === 0) continue;
      const agent = agents[i].address;
      if (!job) this.byJob.set(jobId, (job = new Map()));
      job.set(agent, (job.get(agent) ?? 0) + got[i]);
      this.byAgent.set(agent, this.allocatedOn(agent) + got[i]);
      grants.push({ agent, slots: got[i] });
    }
    return grants;
  }

  /** Frees every slot of a job; returns how many. */
  release(jobId: string): number {
    const job = this.byJob.get(jobId);
    if (!job) return 0;
    let freed = 0;
    for (const [agent, slots] of job) {
      this.take(agent, slots);
      freed += slots;
    }
    this.byJob.delete(jobId);
    return freed;
  }

  /** Forgets every grant on a (dead) agent; returns the jobs that lost slots. */
  dropAgent(address: string): string[] {
    const hit: string[] = [];
    for (const [jobId, job] of this.byJob) {
      const slots = job.get(address);
      if (slots === undefined) continue;
      job.delete(address);
      this.take(address, slots);
      hit.push(jobId);
      if (job.size === 0) this.byJob.delete(jobId);
    }
    return hit;
  }

  allocatedOn(address: string): number {
    return this.byAgent.get(address) ?? 0;
  }

  grantsOf(jobId: string): Grant[] {
    const job = this.byJob.get(jobId);
    return job ? [...job].map(([agent, slots]) => ({ agent, slots })) : [];
  }

  jobIds(): string[] {
    return [...this.byJob.keys()];
  }

  private take(agent: string, slots: number): void {
    const left = this.allocatedOn(agent) - slots;
    if (left > 0) this.byAgent.set(agent, left);
    else this.byAgent.delete(agent);
  }
}
