// Checks a Prometheus text exposition (format 0.0.4) read from standard input, as `promtool check metrics` would,
// without needing promtool: MetricsContract and MetricsLintIT run it. Prints one problem a line and exits 1 when
// there are any; prints a one-line summary and exits 0 when there are none; exits 2 when it cannot run at all.
//
// Each sample line is parsed by parse-prometheus-text-format; the rules on top follow the text format's
// specification (https://prometheus.io/docs/instrumenting/exposition_formats/#text-format-details) and promtool's
// lint (prometheus/client_golang, testutil/promlint):
//   - metric and label names are well-formed; no label is named twice in a sample; __name__ is reserved
//   - values are floats (NaN and +/-Inf included), timestamps integers
//   - HELP and TYPE come at most once per metric family and before its samples; a family's lines form one group
//   - counters are named *_total; only histograms and summaries have *_bucket, *_count, *_sum samples, and only
//     they carry the reserved labels le and quantile
//   - histogram buckets have an `le`, in increasing order, ending in +Inf, with cumulative counts, and *_count
//     equals the +Inf bucket; summaries' quantiles lie in [0, 1]
//   - no series (name and label set) appears twice
import parse from 'parse-prometheus-text-format';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"(?:[^"\\]|\\.)*"/g;
const FLOAT = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|inf(?:inity)?|nan)$/i;
const TIMESTAMP = /^-?\d+$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function check(text) {
  const problems = [];
  const families = new Map(); // name -> { type, help, samples, closed, line }
  const series = new Set();
  let current = null;
  let samples = 0;

  const family = (name) => {
    if (!families.has(name)) {
      families.set(name, { type: null, help: null, sampled: false, closed: false, series: [] });
    }
    return families.get(name);
  };
  // A new group starts: the one before it is closed for good.
  const enter = (name, at) => {
    if (current === name) {
      return;
    }
    if (families.has(name) && families.get(name).closed) {
      problems.push(`line ${at}: ${name}: its lines are not in one group (the family started earlier)`);
    }
    if (current !== null) {
      families.get(current).closed = true;
    }
    current = name;
    family(name);
  };

  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const at = index + 1;
    const line = raw.trim();
    if (line === '') {
      return;
    }
    if (line.startsWith('#')) {
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s+(.*))?$/.exec(line);
      if (!meta) {
        return; // a plain comment
      }
      const [, keyword, name, rest = ''] = meta;
      if (!METRIC_NAME.test(name)) {
        problems.push(`line ${at}: ${keyword} for an invalid metric name "${name}"`);
        return;
      }
      enter(name, at);
      const f = family(name);
      if (f.sampled) {
        problems.push(`line ${at}: ${name}: ${keyword} after the family's samples`);
      }
      if (keyword === 'HELP') {
        if (f.help !== null) {
          problems.push(`line ${at}: ${name}: second HELP line`);
        }
        f.help = rest;
      } else {
        if (f.type !== null) {
          problems.push(`line ${at}: ${name}: second TYPE line`);
        }
        if (!TYPES.has(rest)) {
          problems.push(`line ${at}: ${name}: unknown TYPE "${rest}"`);
        }
        f.type = rest;
      }
      return;
    }

    samples++;
    let sample;
    try {
      // The parser writes a family out when the next line starts: the newline ends this one.
      const [parsed] = parse(`${line}\n`);
      sample = { name: parsed.name, labels: parsed.metrics[0].labels ?? {}, ...parsed.metrics[0] };
    } catch (e) {
      problems.push(`line ${at}: not a valid sample: ${e.message}`);
      return;
    }
    const { name, labels, value } = sample;
    if (!METRIC_NAME.test(name)) {
      problems.push(`line ${at}: invalid metric name "${name}"`);
      return;
    }
    const labelBlock = line.substring(0, line.lastIndexOf('}') + 1);
    const names = [...labelBlock.matchAll(LABEL_PAIR)].map((m) => m[1]);
    if (names.length !== Object.keys(labels).length) {
      problems.push(`line ${at}: ${name}: a label is named twice: ${names.join(', ')}`);
    }
    for (const label of Object.keys(labels)) {
      if (!LABEL_NAME.test(label)) {
        problems.push(`line ${at}: ${name}: invalid label name "${label}"`);
      } else if (label === '__name__') {
        problems.push(`line ${at}: ${name}: label name "__name__" is reserved`);
      }
    }
    const tokens = line.substring(labelBlock.length || name.length).trim().split(/\s+/);
    if (tokens.length > 2) {
      problems.push(`line ${at}: ${name}: more than a value and a timestamp after the labels`);
    }
    if (!FLOAT.test(value ?? '')) {
      problems.push(`line ${at}: ${name}: value "${value}" is not a float`);
    }
    if (sample.timestamp_ms !== undefined && !TIMESTAMP.test(sample.timestamp_ms)) {
      problems.push(`line ${at}: ${name}: timestamp "${sample.timestamp_ms}" is not an integer`);
    }

    const owner = familyOf(name, families);
    enter(owner.name, at);
    const f = family(owner.name);
    f.sampled = true;
    f.series.push({ at, suffix: owner.suffix, labels, value: Number(value) });

    const key = name + JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (series.has(key)) {
      problems.push(`line ${at}: duplicate series ${labelBlock || name}`);
    }
    series.add(key);
  });

  for (const [name, f] of families) {
    lintFamily(name, f, problems);
  }
  return { problems, families: families.size, samples };
}

/** The family a sample belongs to: histograms and summaries own their *_bucket, *_count and *_sum samples. */
function familyOf(name, families) {
  for (const suffix of ['_bucket', '_count', '_sum']) {
    if (name.endsWith(suffix)) {
      const base = name.substring(0, name.length - suffix.length);
      const type = families.get(base)?.type;
      if (type === 'histogram' || (type === 'summary' && suffix !== '_bucket')) {
        return { name: base, suffix };
      }
    }
  }
  return { name, suffix: '' };
}

function lintFamily(name, f, problems) {
  const type = f.type ?? 'untyped';
  if (type === 'counter' && !name.endsWith('_total')) {
    problems.push(`${name}: counter metrics should have "_total" suffix`);
  }
  if (type !== 'histogram' && type !== 'summary') {
    for (const suffix of ['_bucket', '_count', '_sum']) {
      if (name.endsWith(suffix)) {
        problems.push(`${name}: non-histogram and non-summary metrics should not have "${suffix}" suffix`);
      }
    }
  }
  for (const s of f.series) {
    if (type !== 'histogram' && 'le' in s.labels) {
      problems.push(`line ${s.at}: ${name}: non-histogram metrics should not have "le" label`);
    }
    if (type !== 'summary' && 'quantile' in s.labels) {
      problems.push(`line ${s.at}: ${name}: non-summary metrics should not have "quantile" label`);
    }
  }
  if (type === 'histogram') {
    lintHistogram(name, f.series, problems);
  } else if (type === 'summary') {
    lintSummary(name, f.series, problems);
  }
}

/** One entry per label set without `le`: its buckets in order of appearance, its count and sum. */
function groupByLabelSet(series, without) {
  const groups = new Map();
  for (const s of series) {
    const rest = Object.entries(s.labels).filter(([k]) => k !== without).sort(([a], [b]) => (a < b ? -1 : 1));
    const key = JSON.stringify(rest);
    if (!groups.has(key)) {
      groups.set(key, { labels: rest.map(([k, v]) => `${k}="${v}"`).join(','), points: [], count: null, sum: null });
    }
    const g = groups.get(key);
    if (s.suffix === '_count') {
      g.count = s;
    } else if (s.suffix === '_sum') {
      g.sum = s;
    } else {
      g.points.push(s);
    }
  }
  return groups.values();
}

function lintHistogram(name, series, problems) {
  for (const s of series) {
    if (s.suffix === '') {
      problems.push(`line ${s.at}: ${name}: a histogram has only _bucket, _count and _sum samples`);
    }
  }
  for (const g of groupByLabelSet(series.filter((s) => s.suffix !== ''), 'le')) {
    const where = `${name}{${g.labels}}`;
    const buckets = g.points;
    let previousLe = -Infinity;
    let previousCount = -Infinity;
    for (const b of buckets) {
      if (!('le' in b.labels)) {
        problems.push(`line ${b.at}: ${where}: bucket without "le" label`);
        continue;
      }
      const le = Number(b.labels.le.replace(/^\+?Inf$/i, 'Infinity'));
      if (Number.isNaN(le)) {
        problems.push(`line ${b.at}: ${where}: le="${b.labels.le}" is not a number`);
        continue;
      }
      if (le <= previousLe) {
        problems.push(`line ${b.at}: ${where}: buckets not in increasing order of le (${b.labels.le} after ${previousLe})`);
      }
      if (b.value < previousCount) {
        problems.push(`line ${b.at}: ${where}: bucket counts are not cumulative (${b.value} after ${previousCount})`);
      }
      previousLe = le;
      previousCount = b.value;
    }
    const last = buckets[buckets.length - 1];
    if (!last || !/^\+?Inf$/i.test(last.labels.le ?? '')) {
      problems.push(`${where}: buckets do not end in le="+Inf"`);
    } else if (g.count === null) {
      problems.push(`${where}: no ${name}_count`);
    } else if (g.count.value !== last.value) {
      problems.push(`line ${g.count.at}: ${where}: ${name}_count ${g.count.value} differs from the +Inf bucket ${last.value}`);
    }
    if (g.sum === null) {
      problems.push(`${where}: no ${name}_sum`);
    }
  }
}

function lintSummary(name, series, problems) {
  for (const g of groupByLabelSet(series, 'quantile')) {
    for (const q of g.points) {
      const quantile = Number(q.labels.quantile);
      if (!('quantile' in q.labels)) {
        problems.push(`line ${q.at}: ${name}: a summary's own samples need a "quantile" label`);
      } else if (Number.isNaN(quantile) || quantile < 0 || quantile > 1) {
        problems.push(`line ${q.at}: ${name}: quantile="${q.labels.quantile}" is not within [0, 1]`);
      }
    }
    if (g.count === null || g.sum === null) {
      problems.push(`${name}{${g.labels}}: a summary needs both ${name}_count and ${name}_sum`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    const chunks = [];
    for await (const chunk of process.stdin) {
      chunks.push(chunk);
    }
    const { problems, families, samples } = check(Buffer.concat(chunks).toString('utf8'));
    if (problems.length > 0) {
      console.log(problems.join('\n'));
      process.exit(1);
    }
    console.log(`ok: ${families} metric families, ${samples} samples`);
  } catch (e) {
    console.error(e.stack ?? String(e));
    process.exit(2);
  }
}
