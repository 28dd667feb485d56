//! The stages of extraction, as one list checked before it runs.
//!
//! Each stage ([`crate::stage::Stage`]) lives next to the code it runs and
//! says what it reads and adds; [`Pipeline::new`] refuses a list in which a
//! stage reads what no stage before it adds. Reading and writing stay
//! outside (see `corpus` and `output`), so a caller can stream any number of
//! documents through in chunks and memory stays bounded by the chunk size,
//! not by the corpus.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::clock::process_cpu;
use crate::document::Document;
use crate::error::{Error, Result};
use crate::geo::ResolvePlaces;
use crate::incident::{ApplyArguments, Link};
use crate::ner::cut_names::CompleteCutNames;
use crate::ner::model::TokenClassifier;
use crate::ner::tag::{NerOptions, TagArguments, TagEntities, TagGroup};
use crate::stage::{Stage, READ};
use crate::text::segment::Segment;

/// A checked list of stages.
pub struct Pipeline<'a> {
    stages: Vec<Box<dyn Stage + 'a>>,
    /// Time spent in each stage so far, summed over chunks (see [`Pipeline::timings`]).
    times: Mutex<Vec<StageTime>>,
}

/// Time one stage took over all the chunks it ran on. CPU time counts every
/// thread of the process while the stage ran (stages run one after another),
/// so it does not grow when other jobs share the machine; wall time does.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct StageTime {
    pub cpu: Duration,
    pub wall: Duration,
}

impl<'a> Pipeline<'a> {
    /// The stages in order, or an error naming the first stage that reads
    /// a field no earlier stage (nor the reader) adds.
    pub fn new(stages: Vec<Box<dyn Stage + 'a>>) -> Result<Self> {
        let mut have = READ.to_vec();
        for (i, stage) in stages.iter().enumerate() {
            if let Some(missing) = stage.requires().iter().find(|f| !have.contains(f)) {
                let before: Vec<&str> = stages[..i].iter().map(|s| s.name()).collect();
                return Err(Error::Pipeline(format!(
                    "stage \"{}\" needs {missing:?}, which no stage before it adds (before it: {})",
                    stage.name(),
                    if before.is_empty() { "none".to_string() } else { before.join(", ") }
                )));
            }
            have.extend(stage.assigns());
        }
        let times = Mutex::new(vec![StageTime::default(); stages.len()]);
        Ok(Pipeline { stages, times })
    }

    /// Runs every stage over the chunk, in order, adding to their timings.
    pub fn run(&self, docs: &mut [Document]) -> Result<()> {
        for (i, stage) in self.stages.iter().enumerate() {
            let (cpu, wall) = (process_cpu(), Instant::now());
            let done = stage.run(docs);
            let mut times = self.times.lock().unwrap_or_else(|e| e.into_inner());
            times[i].cpu += process_cpu().saturating_sub(cpu);
            times[i].wall += wall.elapsed();
            done?;
        }
        Ok(())
    }

    /// Each stage's name and the time it took so far, in pipeline order.
    pub fn timings(&self) -> Vec<(&'static str, StageTime)> {
        let times = self.times.lock().unwrap_or_else(|e| e.into_inner());
        self.names().into_iter().zip(times.iter().copied()).collect()
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }
}

/// The extraction stages: segment, tag entities, complete cut names, tag a
/// second span group (`roles`, when given a role model), then resolve places
/// and link (unless `link` is false: entities only), and, given the
/// attack-argument model, tag triggers and arguments in the articles with an
/// incident and let them decide its slots. A new stage goes into this list.
pub fn extraction<'a>(
    entities: &'a TokenClassifier,
    roles: Option<TagGroup<'a>>,
    arguments: Option<&'a TokenClassifier>,
    opts: NerOptions,
    link: bool,
) -> Result<Pipeline<'a>> {
    let mut stages: Vec<Box<dyn Stage + 'a>> = vec![Box::new(Segment), Box::new(TagEntities { model: entities, opts }), Box::new(CompleteCutNames)];
    if let Some(r) = roles {
        stages.push(Box::new(r));
    }
    if link {
        stages.push(Box::new(ResolvePlaces));
        stages.push(Box::new(Link));
        if let Some(model) = arguments {
            stages.push(Box::new(TagArguments { model, opts }));
            stages.push(Box::new(ApplyArguments));
        }
    }
    Pipeline::new(stages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stage::Field;

    /// A stage that only declares fields.
    struct Needs(&'static str, &'static [Field], &'static [Field]);

    impl Stage for Needs {
        fn name(&self) -> &'static str {
            self.0
        }
        fn requires(&self) -> &'static [Field] {
            self.1
        }
        fn assigns(&self) -> &'static [Field] {
            self.2
        }
        fn run(&self, _: &mut [Document]) -> Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_stage_whose_prerequisite_no_earlier_stage_adds_is_refused() {
        let err = Pipeline::new(vec![Box::new(Needs("tag", &[Field::Sentences], &[Field::Entities])), Box::new(Segment)]).err().expect("refused");
        assert_eq!(err.to_string(), "pipeline: stage \"tag\" needs Sentences, which no stage before it adds (before it: none)");
        let err = Pipeline::new(vec![Box::new(Segment), Box::new(Link)]).err().expect("refused");
        assert!(err.to_string().contains("stage \"link\" needs Entities"), "{err}");
        let tag = || Box::new(Needs("tag", &[Field::Sentences], &[Field::Entities]));
        let err = Pipeline::new(vec![Box::new(Segment), tag(), Box::new(Link)]).err().expect("refused");
        assert!(err.to_string().contains("stage \"link\" needs Places"), "{err}");
        let ok = Pipeline::new(vec![Box::new(Segment), tag(), Box::new(CompleteCutNames), Box::new(ResolvePlaces), Box::new(Link)]);
        assert_eq!(ok.unwrap().names(), ["segment", "tag", "complete cut names", "resolve places", "link"]);
    }

    #[test]
    fn timings_add_up_per_stage_over_chunks() {
        let p = Pipeline::new(vec![Box::new(Segment), Box::new(Needs("idle", &[], &[]))]).unwrap();
        let text = "A sentence. ".repeat(20_000);
        for _ in 0..2 {
            p.run(&mut [Document::new("a", text.as_str())]).unwrap();
        }
        let t = p.timings();
        assert_eq!(t.iter().map(|(n, _)| *n).collect::<Vec<_>>(), ["segment", "idle"]);
        assert!(t[0].1.cpu > Duration::ZERO && t[0].1.wall > Duration::ZERO, "{t:?}");
    }
}
