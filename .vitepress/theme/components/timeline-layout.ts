/**
 * Where everything of a <Timeline> goes, in two variants: "wide" (640 px,
 * labels left of the bars) and "narrow" (340 px, for a phone: each label and
 * note on a line above its bar). Pure arithmetic on estimated text widths, so
 * the server renders the same SVG the browser does.
 */
export type Kind = "work" | "wait" | "cpu" | "error";

export interface Row {
  label: string;
  start: number;
  end: number;
  kind?: Kind;
  note?: string;
}

export interface Chart {
  title?: string;
  rows: Row[];
}

export const LEGEND: Record<Kind, string> = {
  work: "running",
  wait: "waiting",
  cpu: "CPU-bound (the event loop is blocked)",
  error: "ends in an error",
};

export type Variant = "wide" | "narrow";

export interface Text {
  x: number;
  y: number;
  text: string;
  anchor: "start" | "middle" | "end";
  size: number;
  bold?: boolean;
  muted?: boolean;
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  kind: Kind;
}

export interface Drawing {
  variant: Variant;
  width: number;
  height: number;
  grid: { x: number; y1: number; y2: number }[];
  ticks: Text[];
  texts: Text[];
  bars: Bar[];
}

export interface Options {
  unit: string;
  until?: number;
  legend?: Partial<Record<Kind, string>>;
}

const WIDTH: Record<Variant, number> = { wide: 640, narrow: 340 };

/**
 * A generous estimate of how wide `text` is drawn in the site's sans-serif
 * font: wider than Inter's average, so text that is said to fit does.
 */
export function textWidth(text: string, size: number, bold = false): number {
  return text.length * size * (bold ? 0.6 : 0.56);
}

/** `text` in lines of at most `width` px, broken between words. */
export function wrap(
  text: string,
  width: number,
  size: number,
  bold = false,
): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size, bold) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/** 1, 2, 2.5 or 5 times a power of ten: at most 8 ticks, far enough apart. */
function tickStep(last: number, plot: number, unit: string): number {
  for (let power = 10 ** Math.floor(Math.log10(last / 8)); ; power *= 10) {
    for (const m of [1, 2, 2.5, 5]) {
      const step = m * power;
      const count = Math.ceil(last / step);
      const end = count * step;
      // The widest number, and the last one carries the unit.
      const label = Math.max(
        textWidth(String(end), 12),
        textWidth(`${end} ${unit}`, 12) / 2,
      );
      if (count <= 8 && (plot / count) * 1 >= label + 12) return step;
    }
  }
}

export function layoutTimeline(
  charts: Chart[],
  variant: Variant,
  options: Options,
): Drawing {
  const W = WIDTH[variant];
  const rows = charts.flatMap((chart) => chart.rows);
  const last = options.until ?? Math.max(1, ...rows.map((r) => r.end));
  const wide = variant === "wide";
  const labelWidth = wide
    ? Math.min(
        240,
        Math.max(80, ...rows.map((r) => textWidth(r.label, 13) + 14)),
      )
    : 0;

  // The axis: settle the right margin (half the last tick label, and room
  // for notes that fit neither after nor before their bar) and the step.
  let right = 8;
  let step = 1;
  let axisEnd = last;
  const x = (t: number) =>
    labelWidth + (t / axisEnd) * (W - labelWidth - right);
  for (let round = 0; round < 6; round += 1) {
    step = tickStep(last, W - labelWidth - right, options.unit);
    axisEnd = Math.ceil(last / step) * step;
    let needed = Math.max(
      8,
      textWidth(`${axisEnd} ${options.unit}`, 12) / 2 + 2,
    );
    if (wide) {
      for (const row of rows) {
        if (!row.note) continue;
        const w = textWidth(row.note, 12);
        const fitsAfter = x(row.end) + 6 + w <= W;
        const fitsBefore = x(row.start) - 6 - w >= labelWidth;
        if (!fitsAfter && !fitsBefore)
          needed = Math.max(needed, right + (x(row.end) + 6 + w - W));
      }
    }
    if (needed <= right) break;
    right = needed;
  }

  const texts: Text[] = [];
  const bars: Bar[] = [];
  const grid: Drawing["grid"] = [];
  let y = 0;
  for (const chart of charts) {
    if (chart.title) {
      const lines = wrap(chart.title, W, wide ? 14 : 13, true);
      for (const line of lines) {
        y += wide ? 18 : 17;
        texts.push({
          x: 0,
          y,
          text: line,
          anchor: "start",
          size: wide ? 14 : 13,
          bold: true,
        });
      }
      y += 8;
    } else y += 4;
    const top = y;
    for (const row of chart.rows) {
      const kind = row.kind ?? "work";
      const barX = x(row.start);
      const barWidth = Math.max(2, x(row.end) - x(row.start));
      if (wide) {
        texts.push({
          x: labelWidth - 8,
          y: y + 17,
          text: row.label,
          anchor: "end",
          size: 13,
        });
        bars.push({ x: barX, y: y + 4, width: barWidth, height: 18, kind });
        if (row.note) {
          const w = textWidth(row.note, 12);
          const after =
            x(row.end) + 6 + w <= W || x(row.start) - 6 - w < labelWidth;
          texts.push({
            x: after ? x(row.end) + 6 : barX - 6,
            y: y + 17,
            text: row.note,
            anchor: after ? "start" : "end",
            size: 12,
          });
        }
        y += 26;
      } else {
        // The label, and the note beside it if both fit on one line.
        y += 14;
        texts.push({ x: 0, y, text: row.label, anchor: "start", size: 12 });
        if (row.note) {
          const beside = textWidth(`${row.label}   ${row.note}`, 12) <= W;
          const lines = beside ? [row.note] : wrap(row.note, W, 12);
          lines.forEach((line, i) => {
            if (!beside || i > 0) y += 14;
            texts.push({
              x: beside ? W : 0,
              y,
              text: line,
              anchor: beside ? "end" : "start",
              size: 12,
              muted: true,
            });
          });
        }
        bars.push({ x: barX, y: y + 4, width: barWidth, height: 12, kind });
        y += 22;
      }
    }
    const ticksAt = Array.from(
      { length: Math.round(axisEnd / step) + 1 },
      (_, i) => i * step,
    );
    for (const t of ticksAt) grid.push({ x: x(t), y1: top - 2, y2: y + 2 });
    y += 12;
  }

  // The axis under the last chart: numbers, the unit after the last one.
  const ticks: Text[] = [];
  const count = Math.round(axisEnd / step);
  for (let i = 0; i <= count; i += 1) {
    const t = i * step;
    ticks.push({
      x: x(t),
      y: y + 4,
      text: i === count ? `${t} ${options.unit}` : String(t),
      anchor: i === 0 && !wide ? "start" : "middle",
      size: 12,
    });
  }
  y += 16;

  // The legend, in as many lines as it takes.
  // In the order the chart first uses them.
  const kinds = [...new Set(rows.map((r) => r.kind ?? "work"))];
  let at = 0;
  y += 12;
  for (const kind of kinds) {
    const label = options.legend?.[kind] ?? LEGEND[kind];
    const w = 24 + textWidth(label, 12);
    if (at > 0 && at + w > W) {
      at = 0;
      y += 20;
    }
    bars.push({ x: at, y, width: 18, height: 12, kind });
    texts.push({
      x: at + 24,
      y: y + 11,
      text: label,
      anchor: "start",
      size: 12,
    });
    at += w + 18;
  }
  return {
    variant,
    width: W,
    height: Math.ceil(y + 20),
    grid,
    ticks,
    texts,
    bars,
  };
}
