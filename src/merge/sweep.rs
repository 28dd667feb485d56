//! Grouping reports into incidents in one pass over time.
//!
//! Reports arrive in order of the first day they may have happened on. A
//! group stays open while a later report could still fit it; once the pass
//! is more than a day beyond a member's last possible day, nothing later
//! can join, so the group is finished and handed on. Memory is the open
//! groups, not the corpus, and the order of arrival (not the way reports
//! were cut into partitions) decides every choice, so any partitioning
//! gives the same groups.

use super::report::Report;
use super::rules::compatible;
use crate::error::Result;

struct Group {
    members: Vec<Report>,
    /// The last day a new report may start on and still fit every member.
    open_until: i64,
}

/// Groups reports pushed in [`order`] and hands finished groups to `done`.
pub struct Sweep<F: FnMut(Vec<Report>) -> Result<()>> {
    open: Vec<Group>,
    done: F,
}

/// The order reports must be pushed in: first possible day, last possible
/// day, then source (a total order, so results never depend on input order).
/// Reports that cannot be placed in time come last.
pub fn order(a: &Report, b: &Report) -> std::cmp::Ordering {
    let w = |r: &Report| r.window().map_or((1, 0, 0), |(lo, hi)| (0, lo, hi));
    w(a).cmp(&w(b)).then_with(|| a.source_key().cmp(&b.source_key()))
}

impl<F: FnMut(Vec<Report>) -> Result<()>> Sweep<F> {
    pub fn new(done: F) -> Self {
        Sweep { open: Vec::new(), done }
    }

    /// Adds one report. It joins an open group only if it fits every member
    /// (complete link: reports two days apart never meet through one in
    /// between) and only if exactly one open group fits: a vague report
    /// that fits two incidents stays on its own rather than guess.
    pub fn push(&mut self, report: Report) -> Result<()> {
        let Some((lo, hi)) = report.window() else { return (self.done)(vec![report]) };
        let (finished, open): (Vec<Group>, Vec<Group>) = std::mem::take(&mut self.open).into_iter().partition(|g| g.open_until < lo);
        self.open = open;
        for g in finished {
            (self.done)(g.members)?;
        }
        let fits: Vec<usize> = (0..self.open.len()).filter(|&i| self.open[i].members.iter().all(|m| compatible(m, &report))).collect();
        match fits[..] {
            [i] => {
                let g = &mut self.open[i];
                g.open_until = g.open_until.min(hi + 1);
                g.members.push(report);
            }
            _ => self.open.push(Group { members: vec![report], open_until: hi + 1 }),
        }
        Ok(())
    }

    /// Hands on every group still open (the end of a country's reports).
    pub fn finish(&mut self) -> Result<()> {
        for g in std::mem::take(&mut self.open) {
            (self.done)(g.members)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::rules::tests::report;

    fn groups(mut reports: Vec<Report>) -> Vec<Vec<String>> {
        reports.sort_by(order);
        let mut out = Vec::new();
        let mut sweep = Sweep::new(|g: Vec<Report>| {
            let mut ids: Vec<String> = g.into_iter().map(|r| r.article).collect();
            ids.sort();
            out.push(ids);
            Ok(())
        });
        for r in reports {
            sweep.push(r).unwrap();
        }
        sweep.finish().unwrap();
        out.sort();
        out
    }

    #[test]
    fn no_chains_and_no_guessing() {
        let r = |a: &str, date: &str, orgs: &[&str]| report(a, "bombing", date, "Moscow/RU.48", "RU", orgs);
        // 1 ~ 2 ~ 3 day by day: 1 and 3 are two days apart, so 3 starts anew.
        let chain = groups(vec![r("a", "2024-03-30", &[]), r("b", "2024-03-31", &[]), r("c", "2024-04-01", &[])]);
        assert_eq!(chain, [vec!["a", "b"], vec!["c"]]);
        // A report naming no group fits both the IS and the Taliban attack of that day.
        let two = groups(vec![r("a", "2024-03-22", &["IS"]), r("b", "2024-03-22", &["Taliban"]), r("c", "2024-03-22", &[])]);
        assert_eq!(two, [vec!["a"], vec!["b"], vec!["c"]]);
    }

    #[test]
    fn groups_close_once_the_pass_is_past_them() {
        let r = |a: &str, date: &str| report(a, "bombing", date, "Moscow/RU.48", "RU", &[]);
        let mut reports = vec![r("a", "2024-03-01"), r("b", "2024-03-02"), r("c", "2024-03-04"), r("d", "2024-03-04")];
        reports.sort_by(order);
        let mut finished = Vec::new();
        let mut sweep = Sweep::new(|g: Vec<Report>| {
            finished.push(g.len());
            Ok(())
        });
        for r in reports {
            sweep.push(r).unwrap();
        }
        drop(sweep);
        assert_eq!(finished, [2], "a+b finished when the pass reached March 4; c+d still open");
    }
}
