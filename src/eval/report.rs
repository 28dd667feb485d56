//! `eval … --report DIR`: a Markdown summary with SVG charts, because nobody
//! reads a confusion matrix as JSON. The SVG is written by hand: two simple
//! chart types do not justify a plotting crate and its dependency tree, and
//! the files stay small and diffable.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::corpus::conll::spans;
use crate::error::Result;
use crate::eval::ner::NerReport;
use crate::render::escape_html as esc;

/// Precision, recall and F1 in percent of one type or role, and the number
/// of gold items behind them.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    pub name: String,
    pub p: f64,
    pub r: f64,
    pub f1: f64,
    pub support: usize,
}

/// Span-level confusion counts: `counts[gold][predicted]`, indices into
/// `labels`, whose last entry is `-` (no span).
#[derive(Debug, Clone, PartialEq)]
pub struct ConfusionMatrix {
    pub labels: Vec<String>,
    pub counts: Vec<Vec<usize>>,
}

impl ConfusionMatrix {
    pub fn get(&self, gold: &str, pred: &str) -> usize {
        let at = |l: &str| self.labels.iter().position(|x| x == l);
        match (at(gold), at(pred)) {
            (Some(g), Some(p)) => self.counts[g][p],
            _ => 0,
        }
    }
}

/// Confusion of predicted against gold spans. Only spans with identical
/// boundaries are paired; every other gold span counts as missed (`T → -`)
/// and every other predicted span as spurious (`- → T`), so a boundary error
/// appears twice — exactly as it costs recall and precision in
/// [`crate::eval::ner::score`]. Row sums are gold counts, column sums
/// predicted counts and the diagonal the true positives.
pub fn span_confusion(gold: &[Vec<String>], pred: &[Vec<String>]) -> ConfusionMatrix {
    assert_eq!(gold.len(), pred.len(), "one prediction per gold sentence");
    let mut cells: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut types: BTreeSet<String> = BTreeSet::new();
    let none = || "-".to_string();
    for (g, p) in gold.iter().zip(pred) {
        let (gs, ps) = (spans(g), spans(p));
        let same = |a: &(usize, usize, String), b: &(usize, usize, String)| a.0 == b.0 && a.1 == b.1;
        for s in &gs {
            let q = ps.iter().find(|q| same(s, q)).map_or_else(none, |q| q.2.clone());
            *cells.entry((s.2.clone(), q)).or_default() += 1;
        }
        for q in ps.iter().filter(|q| !gs.iter().any(|s| same(s, q))) {
            *cells.entry((none(), q.2.clone())).or_default() += 1;
        }
        types.extend(gs.into_iter().chain(ps).map(|s| s.2));
    }
    let labels: Vec<String> = types.into_iter().chain([none()]).collect();
    let at = |l: &str| labels.iter().position(|x| x == l).expect("every cell label is a type or -");
    let mut counts = vec![vec![0; labels.len()]; labels.len()];
    for ((g, p), n) in cells {
        counts[at(&g)][at(&p)] = n;
    }
    ConfusionMatrix { labels, counts }
}

/// Everything one report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    /// What a row is ("type", "role"): names the table column and chart axis.
    pub row_kind: String,
    pub rows: Vec<ScoreRow>,
    pub micro: ScoreRow,
    pub confusion: Option<ConfusionMatrix>,
    /// Lines under the title: data, model, counts.
    pub notes: Vec<String>,
}

impl Report {
    /// The NER report; `confusion` from [`span_confusion`] over the same tags.
    pub fn ner(title: &str, r: &NerReport, confusion: Option<ConfusionMatrix>) -> Report {
        let row = |name: &str, m: &crate::eval::ner::Prf| ScoreRow { name: name.into(), p: m.p, r: m.r, f1: m.f1, support: m.support };
        Report {
            title: title.into(),
            row_kind: "type".into(),
            rows: r.per_type.iter().map(|(t, m)| row(t, m)).collect(),
            micro: row("micro", &r.micro),
            confusion,
            notes: vec![format!("{} sentences, {} tokens; exact-span scoring as conlleval.", r.sentences, r.tokens)],
        }
    }
}

/// Writes `summary.md`, `scores.svg` and (with a confusion matrix)
/// `confusion.svg` into `dir`, creating it; returns the files written.
pub fn write_report(dir: &Path, report: &Report) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut files = vec![(dir.join("scores.svg"), score_chart(report))];
    if let Some(c) = &report.confusion {
        files.push((dir.join("confusion.svg"), heat_map(c)));
    }
    files.push((dir.join("summary.md"), markdown(report)));
    for (path, body) in &files {
        std::fs::write(path, body)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// Markdown table cells cannot hold a raw `|`.
fn md(s: &str) -> String {
    s.replace('|', "\\|")
}

fn markdown(r: &Report) -> String {
    let mut s = format!("# {}\n\n", r.title);
    for n in &r.notes {
        let _ = writeln!(s, "{n}  ");
    }
    let _ = write!(s, "\n| {} | P | R | F1 | support |\n|---|---:|---:|---:|---:|\n", r.row_kind);
    for x in &r.rows {
        let _ = writeln!(s, "| {} | {:.2} | {:.2} | {:.2} | {} |", md(&x.name), x.p, x.r, x.f1, x.support);
    }
    let m = &r.micro;
    let _ = writeln!(s, "| **{}** | **{:.2}** | **{:.2}** | **{:.2}** | {} |", md(&m.name), m.p, m.r, m.f1, m.support);
    let _ = write!(s, "\n![Precision, recall and F1 per {}](scores.svg)\n", r.row_kind);
    if let Some(c) = &r.confusion {
        s += "\n## Confusion matrix (spans)\n\nRows are gold types, columns predicted types. Spans are paired only when their \
              boundaries agree: `-` in a column is a missed gold span, `-` in a row a spurious prediction, so a boundary \
              error counts once in each.\n\n![Span confusion matrix](confusion.svg)\n\n";
        let _ = writeln!(s, "| gold \\ predicted | {} |", c.labels.iter().map(|l| md(l)).collect::<Vec<_>>().join(" | "));
        let _ = writeln!(s, "|---|{}", "---:|".repeat(c.labels.len()));
        for (g, row) in c.labels.iter().zip(&c.counts) {
            let cells: Vec<String> = row.iter().map(usize::to_string).collect();
            let _ = writeln!(s, "| {} | {} |", md(g), cells.join(" | "));
        }
    }
    s
}

const FONT: &str = "font-family=\"Helvetica, Arial, sans-serif\"";
const SERIES: [(&str, &str); 3] = [("P", "#4e79a7"), ("R", "#f28e2b"), ("F1", "#59a14f")];

/// Grouped P/R/F1 bars per row, with micro set apart at the right.
fn score_chart(r: &Report) -> String {
    let (bar, gap, plot_h) = (22.0, 26.0, 240.0);
    let group = 3.0 * bar + gap;
    let rotate = r.rows.iter().any(|x| x.name.chars().count() > 9);
    let (left, top) = (56.0, 56.0);
    let bottom = if rotate { 110.0 } else { 56.0 };
    let n = r.rows.len() + 1;
    let width = (left + n as f64 * group + gap + 20.0).max(420.0);
    let height = top + plot_h + bottom;
    let y = |v: f64| top + plot_h * (1.0 - v.clamp(0.0, 100.0) / 100.0);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" {FONT} font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n<text x=\"{left}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{}</text>\n",
        esc(&format!("{} — P / R / F1 per {}", r.title, r.row_kind))
    );
    for (i, (name, color)) in SERIES.iter().enumerate() {
        let x = width - 20.0 - (3 - i) as f64 * 52.0;
        let _ = writeln!(s, "<rect x=\"{x}\" y=\"32\" width=\"12\" height=\"12\" fill=\"{color}\"/><text x=\"{}\" y=\"42\">{name}</text>", x + 16.0);
    }
    for v in (0..=100).step_by(20) {
        let yy = y(v as f64);
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" x2=\"{}\" y1=\"{yy}\" y2=\"{yy}\" stroke=\"#e1e4e8\"/><text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#57606a\">{v}</text>",
            width - 20.0,
            left - 6.0,
            yy + 4.0
        );
    }
    let micro_x = left + r.rows.len() as f64 * group + gap / 2.0;
    let _ = writeln!(s, "<line x1=\"{micro_x}\" x2=\"{micro_x}\" y1=\"{top}\" y2=\"{}\" stroke=\"#8c959f\" stroke-dasharray=\"4 3\"/>", top + plot_h);
    for (i, row) in r.rows.iter().chain([&r.micro]).enumerate() {
        let x0 = left + gap / 2.0 + i as f64 * group + if i == r.rows.len() { gap / 2.0 } else { 0.0 };
        for (k, v) in [row.p, row.r, row.f1].into_iter().enumerate() {
            let (name, color) = SERIES[k];
            let x = x0 + k as f64 * bar;
            let _ = writeln!(
                s,
                "<rect x=\"{x}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{color}\"><title>{} {name} {v:.2}</title></rect>\
                 <text x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#24292f\">{v:.0}</text>",
                y(v),
                bar - 2.0,
                top + plot_h - y(v),
                esc(&row.name),
                x + (bar - 2.0) / 2.0,
                y(v) - 3.0
            );
        }
        let cx = x0 + 1.5 * bar;
        let label_y = top + plot_h + 16.0;
        let weight = if i == r.rows.len() { " font-weight=\"bold\"" } else { "" };
        if rotate {
            let _ = writeln!(s, "<text x=\"{cx}\" y=\"{label_y}\" text-anchor=\"end\" transform=\"rotate(-35 {cx} {label_y})\"{weight}>{}</text>", esc(&row.name));
        } else {
            let _ = writeln!(s, "<text x=\"{cx}\" y=\"{label_y}\" text-anchor=\"middle\"{weight}>{}</text>", esc(&row.name));
            let _ = writeln!(s, "<text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#57606a\">n={}</text>", label_y + 14.0, row.support);
        }
    }
    s += "</svg>\n";
    s
}

/// Cells shaded by their share of the gold row, so rare types are as
/// readable as frequent ones; the counts are printed in the cells.
fn heat_map(c: &ConfusionMatrix) -> String {
    let cell = 58.0;
    let n = c.labels.len();
    let longest = c.labels.iter().map(|l| l.chars().count()).max().unwrap_or(1) as f64;
    let left = 48.0 + 8.0 * longest;
    let top = 84.0;
    // wide enough for the title even with two or three labels
    let width = (left + n as f64 * cell + 24.0).max(400.0);
    let height = top + n as f64 * cell + 40.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" {FONT} font-size=\"12\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n\
         <text x=\"16\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Span confusion (rows: gold, columns: predicted)</text>\n\
         <text x=\"{}\" y=\"50\" text-anchor=\"middle\" fill=\"#57606a\">predicted</text>\n\
         <text x=\"16\" y=\"{}\" text-anchor=\"middle\" fill=\"#57606a\" transform=\"rotate(-90 16 {})\">gold</text>\n",
        left + n as f64 * cell / 2.0,
        top + n as f64 * cell / 2.0,
        top + n as f64 * cell / 2.0
    );
    for (i, l) in c.labels.iter().enumerate() {
        let cx = left + (i as f64 + 0.5) * cell;
        let cy = top + (i as f64 + 0.5) * cell + 4.0;
        let _ = writeln!(s, "<text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{}</text>", top - 10.0, esc(l));
        let _ = writeln!(s, "<text x=\"{}\" y=\"{cy}\" text-anchor=\"end\" font-weight=\"bold\">{}</text>", left - 8.0, esc(l));
    }
    for (g, row) in c.counts.iter().enumerate() {
        let total: usize = row.iter().sum();
        for (p, &v) in row.iter().enumerate() {
            let (x, y) = (left + p as f64 * cell, top + g as f64 * cell);
            let impossible = g == n - 1 && p == n - 1;
            let share = if total == 0 { 0.0 } else { v as f64 / total as f64 };
            let fill = if impossible { "#f6f8fa".to_string() } else { blue(share) };
            let _ = write!(
                s,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"#fff\"><title>gold {} → predicted {}: {v} ({:.1}% of the row)</title></rect>",
                esc(&c.labels[g]),
                esc(&c.labels[p]),
                100.0 * share
            );
            if !impossible {
                let ink = if share > 0.5 { "#fff" } else { "#24292f" };
                let _ = write!(s, "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{ink}\">{v}</text>", x + cell / 2.0, y + cell / 2.0 + 4.0);
            }
            s.push('\n');
        }
    }
    s += "</svg>\n";
    s
}

/// White → dark blue by `share` in [0, 1].
fn blue(share: f64) -> String {
    let t = share.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(247.0, 8.0), mix(251.0, 69.0), mix(255.0, 148.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::ner::score;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn confusion_agrees_with_the_span_scores() {
        let gold = vec![v("B-PER I-PER O B-LOC O B-ORG O"), v("B-LOC I-LOC O B-MISC")];
        let pred = vec![v("B-PER I-PER O B-MISC O O B-LOC"), v("B-LOC O O B-MISC")];
        let c = span_confusion(&gold, &pred);
        assert_eq!(c.labels, ["LOC", "MISC", "ORG", "PER", "-"]);
        assert_eq!(c.get("PER", "PER"), 1);
        assert_eq!(c.get("LOC", "MISC"), 1, "same boundaries, wrong type");
        assert_eq!(c.get("ORG", "-"), 1);
        assert_eq!(c.get("-", "LOC"), 2, "a spurious span and the too-short LOC");
        assert_eq!(c.get("LOC", "-"), 1, "the too-long gold LOC is missed");
        let r = score(&gold, &pred);
        for (i, t) in c.labels[..c.labels.len() - 1].iter().enumerate() {
            let tp = c.counts[i][i];
            let gold_n: usize = c.counts[i].iter().sum();
            let pred_n: usize = c.counts.iter().map(|row| row[i]).sum();
            let prf = crate::eval::ner::Prf::from_counts(tp, pred_n, gold_n);
            assert_eq!(prf, r.per_type[t], "{t}");
        }
    }

    fn report() -> Report {
        let row = |n: &str, f: f64, s| ScoreRow { name: n.into(), p: f, r: f - 10.0, f1: f - 5.0, support: s };
        Report {
            title: "dev <set> & co".into(),
            row_kind: "type".into(),
            rows: vec![row("LOC", 90.0, 10), row("A|B", 50.0, 3)],
            micro: row("micro", 80.0, 13),
            confusion: Some(span_confusion(&[v("B-LOC O B-PER")], &[v("B-LOC O B-LOC")])),
            notes: vec!["2 sentences".into()],
        }
    }

    #[test]
    fn writes_summary_and_charts() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("new/report");
        let files = write_report(&out, &report()).unwrap();
        let names: Vec<_> = files.iter().map(|p| p.file_name().unwrap().to_str().unwrap()).collect();
        assert_eq!(names, ["scores.svg", "confusion.svg", "summary.md"]);
        let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
        assert!(md.contains("| A\\|B | 50.00 | 40.00 | 45.00 | 3 |"), "{md}");
        assert!(md.contains("| **micro** | **80.00** |"));
        assert!(md.contains("](scores.svg)") && md.contains("](confusion.svg)"));
        assert!(md.contains("| PER | 1 | 0 | 0 |"), "{md}");
        let bars = std::fs::read_to_string(out.join("scores.svg")).unwrap();
        assert_eq!(bars.matches("<rect").count(), 1 + 3 + 3 * 3, "background, legend, 3 bars × (2 rows + micro)");
        assert!(bars.contains("dev &lt;set&gt; &amp; co") && !bars.contains("<set>"));
        let heat = std::fs::read_to_string(out.join("confusion.svg")).unwrap();
        assert_eq!(heat.matches("<rect").count(), 1 + 9);
        assert!(heat.contains("gold PER → predicted LOC: 1 (100.0% of the row)"));
    }

    #[test]
    fn without_a_confusion_matrix_only_the_bars_are_written() {
        let dir = tempfile::tempdir().unwrap();
        let r = Report { confusion: None, ..report() };
        assert_eq!(write_report(dir.path(), &r).unwrap().len(), 2);
        assert!(!std::fs::read_to_string(dir.path().join("summary.md")).unwrap().contains("confusion"));
    }

    #[test]
    fn shades_run_from_white_to_blue() {
        assert_eq!(blue(0.0), "#f7fbff");
        assert_eq!(blue(1.0), "#084594");
    }
}
