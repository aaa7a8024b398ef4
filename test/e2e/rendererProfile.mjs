// An opt-in CPU profile of the workbench's renderer (GANSCOPE_E2E_PROFILE=1). In the browser the workbench and the
// webviews it hosts (served from its own origin) share one main thread: when a click waits, this says whose script
// held that thread, as self time summed by script (a webview by its bundle, e.g. metrics.js).

/** Starts sampling; the function it returns stops, and resolves to the wall time and the self time of each script. */
export async function startProfile(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 1_000 });
  await cdp.send('Profiler.start');
  const started = Date.now();
  return async () => {
    const { profile } = await cdp.send('Profiler.stop');
    await cdp.detach().catch(() => {});
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map();
    profile.samples.forEach((id, i) => {
      const script = scriptOf(nodes.get(id).callFrame);
      self.set(script, (self.get(script) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1_000);
    });
    const selfMs = Object.fromEntries([...self].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, Math.round(v)]));
    return { wallMs: Date.now() - started, selfMs };
  };
}

/** A webview's bundle by its name, the workbench's scripts by file, V8's own entries ("(idle)", "(program)") as they are. */
function scriptOf({ url, functionName }) {
  if (!url) return functionName || '(anonymous)';
  const path = decodeURIComponent(url);
  return /out\/webview\/([\w.-]+\.js)/.exec(path)?.[1] ?? path.replace(/[?#].*$/, '').replace(/^.*\//, '');
}

/** One line: the wall time and the scripts that took at least 1 % of it. */
export function profileLine(label, { wallMs, selfMs }) {
  const top = Object.entries(selfMs).filter(([, ms]) => ms >= wallMs / 100).map(([k, ms]) => `${k} ${(ms / 1_000).toFixed(1)} s`);
  return `      (renderer during ${label}: ${(wallMs / 1_000).toFixed(1)} s wall; ${top.join(', ')})`;
}
