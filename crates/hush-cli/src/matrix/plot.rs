//! The matrix's SVG plots: accuracy against noise per run, recognition
//! latency against model size, and the accuracy/latency Pareto front.

use std::path::Path;

use anyhow::{anyhow, Result};
use plotters::prelude::*;

use super::report::{mode_name, NluScores, Report, RunReport};

const SIZE: (u32, u32) = (1100, 520);

type Draw = fn(&Report, &Path) -> Result<()>;
/// A figure read off a run for a condition.
type Measure<'a> = Box<dyn Fn(&RunReport, &str) -> Option<f64> + 'a>;

fn color(i: usize) -> RGBColor {
    let c = Palette99::pick(i).to_rgba();
    RGBColor(c.0, c.1, c.2)
}

/// Writes the three plots into `dir`; returns their file names.
pub fn all(r: &Report, dir: &Path) -> Result<Vec<String>> {
    let plots: [(&str, Draw); 3] = [("accuracy_vs_snr.svg", accuracy_vs_snr), ("latency_vs_size.svg", latency_vs_size), ("pareto.svg", pareto)];
    let mut names = Vec::new();
    for (name, draw) in plots {
        draw(r, &dir.join(name)).map_err(|e| anyhow!("drawing {name}: {e}"))?;
        names.push(name.to_owned());
    }
    Ok(names)
}

/// The NLU mode the plots show: the one that knows the most clips.
fn shown(run: &RunReport) -> Option<&NluScores> {
    run.nlu.iter().rev().max_by_key(|n| n.in_scope)
}

/// Intent accuracy of a run's shown NLU mode, or `None` without labels.
fn intent(run: &RunReport, condition: &str) -> Option<f64> {
    shown(run).and_then(|n| n.intent_accuracy.get(condition).copied())
}

/// WER (left) and intent accuracy (right) per condition, a line per run.
fn accuracy_vs_snr(r: &Report, path: &Path) -> Result<()> {
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, right) = root.split_horizontally(SIZE.0 / 2);
    let n = r.conditions.len();
    let mode = r.runs.iter().find_map(shown).map(|n| mode_name(n.mode)).unwrap_or("none");
    // Legends where the lines are not: WER rises with noise, accuracy falls.
    let panels: [(&DrawingArea<SVGBackend, _>, String, Measure, SeriesLabelPosition); 2] = [
        (
            &left,
            "WER % by condition (lower is better)".to_owned(),
            Box::new(|run: &RunReport, c: &str| run.wer.get(c).copied()),
            SeriesLabelPosition::UpperLeft,
        ),
        (&right, format!("intent accuracy % by condition ({mode} NLU)"), Box::new(intent), SeriesLabelPosition::LowerLeft),
    ];
    for (area, title, value, legend) in panels {
        let top = r.runs.iter().flat_map(|run| r.conditions.iter().filter_map(|c| value(run, c))).fold(0.0f64, f64::max);
        let mut chart = ChartBuilder::on(area)
            .caption(title, ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(48)
            .build_cartesian_2d(-0.3f64..(n as f64 - 0.7), 0f64..(top * 1.15).max(1.0))?;
        let conditions = r.conditions.clone();
        chart
            .configure_mesh()
            .x_labels(n)
            .x_label_formatter(&|x| conditions.get(x.round().max(0.0) as usize).filter(|_| (x - x.round()).abs() < 1e-6).cloned().unwrap_or_default())
            .x_desc("noise (SNR)")
            .draw()?;
        for (i, run) in r.runs.iter().enumerate() {
            let points: Vec<(f64, f64)> = r.conditions.iter().enumerate().filter_map(|(k, c)| value(run, c).map(|v| (k as f64, v))).collect();
            if points.is_empty() {
                continue;
            }
            let c = color(i);
            chart
                .draw_series(LineSeries::new(points.clone(), c.stroke_width(2)))?
                .label(short(&run.id))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2)));
            chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, c.filled())))?;
        }
        chart.configure_series_labels().position(legend).background_style(WHITE.mix(0.85)).border_style(BLACK).label_font(("sans-serif", 11)).draw()?;
    }
    root.present()?;
    Ok(())
}

/// A labelled scatter of runs, with an optional front line through some.
fn scatter(path: &Path, title: &str, x_desc: &str, y_desc: &str, points: &[(String, f64, f64)], front: &[(f64, f64)]) -> Result<()> {
    let root = SVGBackend::new(path, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let (x_max, y_min, y_max) = points.iter().fold((0.0f64, f64::MAX, 0.0f64), |m, p| (m.0.max(p.1), m.1.min(p.2), m.2.max(p.2)));
    // The y axis spans the points (with room for labels), not 0 to 100:
    // runs differ by a few points.
    let pad = ((y_max - y_min) * 0.15).max(2.0);
    let (y_lo, y_hi) = ((y_min - pad).max(0.0), y_max + pad);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 18))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(56)
        .build_cartesian_2d(0f64..(x_max * 1.25).max(1.0), y_lo..y_hi.max(y_lo + 1.0))?;
    chart.configure_mesh().x_desc(x_desc).y_desc(y_desc).draw()?;
    if front.len() > 1 {
        chart
            .draw_series(LineSeries::new(front.to_vec(), BLACK.mix(0.5).stroke_width(1)))?
            .label("Pareto front")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLACK.mix(0.5)));
    }
    for (i, (label, x, y)) in points.iter().enumerate() {
        let c = color(i);
        // Labels alternate above and below their dot, so neighbours overlap less.
        let dy = if i % 2 == 0 { -16 } else { 6 };
        let dot =
            EmptyElement::at((*x, *y)) + Circle::new((0, 0), 5, c.filled()) + Text::new(short(label), (8, dy), ("sans-serif", 11).into_font().color(&BLACK));
        chart.draw_series(std::iter::once(dot))?;
    }
    if front.len() > 1 {
        chart.configure_series_labels().position(SeriesLabelPosition::LowerRight).background_style(WHITE.mix(0.85)).border_style(BLACK).draw()?;
    }
    root.present()?;
    Ok(())
}

fn latency_vs_size(r: &Report, path: &Path) -> Result<()> {
    let points: Vec<(String, f64, f64)> = r
        .runs
        .iter()
        .filter(|run| run.meta.model_file_mb > 0.0)
        .map(|run| (run.id.clone(), run.meta.model_file_mb, run.latency_ms.get("asr").map_or(0.0, |s| s.p50)))
        .collect();
    scatter(path, "recognition latency against model size", "model file (MB)", "ASR p50 per clip (ms)", &points, &[])
}

/// Intent accuracy (or 100 − WER without labels) against turn latency; the
/// front joins the runs no other run beats on both.
fn pareto(r: &Report, path: &Path) -> Result<()> {
    let labelled = r.runs.iter().any(|run| intent(run, "all").is_some());
    let points: Vec<(String, f64, f64)> = r
        .runs
        .iter()
        .map(|run| match (labelled, shown(run)) {
            (true, Some(n)) => (run.id.clone(), n.turn_ms.p50, n.intent_accuracy.get("all").copied().unwrap_or(0.0)),
            _ => (run.id.clone(), run.latency_ms.get("asr").map_or(0.0, |s| s.p50), 100.0 - run.wer.get("all").copied().unwrap_or(100.0)),
        })
        .collect();
    let front = pareto_front(&points);
    let (title, y) =
        if labelled { ("intent accuracy against turn latency", "intent accuracy, all clips (%)") } else { ("word accuracy against latency", "100 - WER (%)") };
    scatter(path, title, "p50 latency per clip (ms)", y, &points, &front)
}

/// A run id without the default settings' parts, for labels.
fn short(id: &str) -> String {
    id.replace(".trim-on", "").replace(".beam-1", "")
}

/// The points no other point beats on both lower x and higher y, by x.
pub fn pareto_front(points: &[(String, f64, f64)]) -> Vec<(f64, f64)> {
    let mut sorted: Vec<(f64, f64)> = points.iter().map(|p| (p.1, p.2)).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
    let mut front: Vec<(f64, f64)> = Vec::new();
    for p in sorted {
        if front.last().is_none_or(|f| p.1 > f.1) {
            front.push(p);
        }
    }
    front
}

#[cfg(test)]
mod tests {
    use super::pareto_front;

    #[test]
    fn front_keeps_only_undominated_runs() {
        let p = |x: f64, y: f64| (String::new(), x, y);
        let front = pareto_front(&[p(100.0, 80.0), p(50.0, 70.0), p(60.0, 65.0), p(200.0, 90.0), p(150.0, 85.0), p(120.0, 79.0)]);
        assert_eq!(front, vec![(50.0, 70.0), (100.0, 80.0), (150.0, 85.0), (200.0, 90.0)]);
    }
}
