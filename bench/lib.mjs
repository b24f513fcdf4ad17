// Shared helpers for benchmarks: timing whole commands, peak RSS from /proc, medians.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Runs a command to completion; returns wall time in ms and the process's peak RSS in KiB (sampled from /proc). */
export function timeCommand(file, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(file, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    let peakKiB = 0;
    const sample = () => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakKiB = Math.max(peakKiB, Number(match[1]));
      } catch {
        // gone already
      }
    };
    const timer = options.sampleRss ? setInterval(sample, 20) : undefined;
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0 && !options.allowFailure) reject(new Error(`${file} ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve({ ms, peakKiB });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs the given labelled commands `rounds` times, interleaved so machine noise hits them alike. */
export async function sideBySide(rounds, commands) {
  const times = Object.fromEntries(Object.keys(commands).map((key) => [key, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [key, run] of Object.entries(commands)) times[key].push(await run());
  }
  return times;
}

export const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
