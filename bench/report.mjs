// The results as a Markdown table, for docs/PERFORMANCE.md.

/** Per-step units (ms/step, ms/move) read as plain ms in the table: the figure's name says per what. */
const fmt = (x, unit) => `${x.toLocaleString('en')}${unit.startsWith('ms/') ? ' ms' : ` ${unit}`}`;

/** One row per figure: median [min–max], target, met. */
export function markdownTable(results) {
  const rows = ['| scenario | figure | median [min–max] | runs | target | met |', '|---|---|---|---|---|---|'];
  for (const [name, s] of Object.entries(results.scenarios)) {
    if (s.error) {
      rows.push(`| ${name} | – | failed: ${s.error.split('\n')[0]} | | | |`);
      continue;
    }
    for (const [key, f] of Object.entries(s.figures)) {
      const range = f.runs.length > 1 ? `${fmt(f.median, f.unit)} [${f.min.toLocaleString('en')}–${f.max.toLocaleString('en')}]` : fmt(f.median, f.unit);
      const target = f.target === null ? '–' : `≤ ${fmt(f.target, f.unit)}`;
      const met = f.met === null ? '' : f.met ? 'met' : '**not met**';
      rows.push(`| ${name} | ${key} | ${range} | ${f.runs.length} | ${target} | ${met} |`);
    }
  }
  const m = results.machine;
  const noise = Object.entries(results.scenarios)
    .filter(([, s]) => typeof s.otherCpuPercent === 'number')
    .map(([name, s]) => `${name} ${s.otherCpuPercent}%`);
  if (noise.length) rows.push('', `CPU used by other processes while the scenarios ran (share of all cores): ${noise.join(', ')}.`);
  const rev = results.revision;
  const code = rev ? ` · commit ${rev.commit}${rev.uncommittedChanges ? ' with uncommitted changes' : ''}` : '';
  rows.push('', `${results.date}${code} · ${m.cpus} × ${m.cpuModel}, ${m.memoryGB} GB · ${m.os} · Node ${m.node} · ${m.chromium}`);
  return rows.join('\n');
}
