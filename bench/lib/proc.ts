/** CPU time of another process from /proc (Linux), for shares of one core over a window. */
import { readFileSync } from 'node:fs';

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

/** utime + stime of `pid` in seconds. @throws when /proc has no such process. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 (1-based); index 0 here is field 3.
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Direct children of `pid` (the kernel's list for its main thread). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // Why: kernels without CONFIG_PROC_CHILDREN have no such file; the caller reports null.
    return [];
  }
}

export interface CpuWindow {
  /** % of one core used since the window started. */
  percent(): number;
}

export function startCpuWindow(pid: number): CpuWindow {
  const cpuStart = cpuSeconds(pid);
  const wallStart = performance.now();
  return {
    percent() {
      return ((cpuSeconds(pid) - cpuStart) / ((performance.now() - wallStart) / 1000)) * 100;
    },
  };
}
