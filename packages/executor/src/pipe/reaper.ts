// Pipe commands run in their own process group (so a kill reaches a whole pipeline), which also
// means they outlive the process that spawned them: a SIGKILLed driver or agent left them running
// under PID 1. So each spawning thread keeps one tiny `sh` reaper, connected by a pipe and told
// every group it should answer for ("+PGID" / "-PGID" lines). When the pipe reaches EOF, because
// the thread ended or its process died however it died, the reaper kills the groups still listed
// (TERM, then KILL a second later). It ignores INT/TERM/HUP and has its own group, so a Ctrl-C
// that stops the driver does not stop it before it has done its job.
import { spawn, type ChildProcess } from 'node:child_process';

const SCRIPT = `trap '' INT TERM HUP
g=' '
while read -r op pg; do
  case $op in
    +) g="$g$pg " ;;
    -) n=' '; for p in $g; do [ "$p" = "$pg" ] || n="$n$p "; done; g=$n ;;
  esac
done
[ "$g" = ' ' ] && exit 0
for p in $g; do kill -TERM -"$p" 2>/dev/null; done
sleep 1
for p in $g; do kill -KILL -"$p" 2>/dev/null; done
exit 0`;

let reaper: ChildProcess | undefined;

function start(): ChildProcess | undefined {
  let child: ChildProcess;
  try {
    // The script travels in the environment so that ps shows `sh -c eval "$GLEAM_REAPER" gleam-pipe-reaper`.
    child = spawn('sh', ['-c', 'eval "$GLEAM_REAPER"', 'gleam-pipe-reaper'], {
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', GLEAM_REAPER: SCRIPT },
    });
  } catch {
    return undefined; // no reaper: pipes still run, only an abrupt death of this process may orphan them
  }
  child.on('error', () => {
    if (reaper === child) reaper = undefined;
  });
  child.on('exit', () => {
    if (reaper === child) reaper = undefined;
  });
  child.stdin!.on('error', () => {
    if (reaper === child) reaper = undefined;
  });
  // Neither the reaper nor its pipe keeps this process (or thread) alive.
  child.unref();
  (child.stdin as unknown as { unref?: () => void }).unref?.();
  return child;
}

/** Starts this thread's reaper if it is not running: before a spawn, so registering is one write. */
export function ensureReaper(): void {
  reaper ??= start();
}

function tell(line: string): void {
  ensureReaper();
  const stdin = reaper?.stdin;
  if (stdin && !stdin.destroyed) stdin.write(line);
}

/** The process group `pgid` is to be killed if this thread or process ends before it does. */
export function watchGroup(pgid: number): void {
  tell(`+ ${pgid}\n`);
}

/** The group `pgid` ended: forget it (its id may be reused by an unrelated group later). */
export function forgetGroup(pgid: number): void {
  if (reaper !== undefined) tell(`- ${pgid}\n`);
}

/** The reaper's pid (tests). */
export function reaperPid(): number | undefined {
  return reaper?.pid;
}
