//! The stages of extraction, as one list checked before it runs.
//!
//! Each stage ([`crate::stage::Stage`]) lives next to the code it runs and
//! says what it reads and adds; [`Pipeline::new`] refuses a list in which a
//! stage reads what no stage before it adds. Reading and writing stay
//! outside (see `corpus` and `output`), so a caller can stream any number of
//! documents through in chunks and memory stays bounded by the chunk size,
//! not by the corpus.

use crate::document::Document;
use crate::error::{Error, Result};
use crate::geo::ResolvePlaces;
use crate::incident::Link;
use crate::ner::cut_names::CompleteCutNames;
use crate::ner::model::TokenClassifier;
use crate::ner::tag::{NerOptions, TagEntities, TagGroup};
use crate::stage::{Stage, READ};
use crate::text::segment::Segment;

/// A checked list of stages.
pub struct Pipeline<'a> {
    stages: Vec<Box<dyn Stage + 'a>>,
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
        Ok(Pipeline { stages })
    }

    /// Runs every stage over the chunk, in order.
    pub fn run(&self, docs: &mut [Document]) -> Result<()> {
        self.stages.iter().try_for_each(|s| s.run(docs))
    }

    pub fn names(&self) -> Vec<&'static str> {
        self.stages.iter().map(|s| s.name()).collect()
    }
}

/// The extraction stages: segment, tag entities, complete cut names, tag a
/// second span group (`roles`, when given a role model), then resolve places
/// and link (unless `link` is false: entities only). A new stage goes into
/// this list.
pub fn extraction<'a>(entities: &'a TokenClassifier, roles: Option<TagGroup<'a>>, opts: NerOptions, link: bool) -> Result<Pipeline<'a>> {
    let mut stages: Vec<Box<dyn Stage + 'a>> = vec![Box::new(Segment), Box::new(TagEntities { model: entities, opts }), Box::new(CompleteCutNames)];
    if let Some(r) = roles {
        stages.push(Box::new(r));
    }
    if link {
        stages.push(Box::new(ResolvePlaces));
        stages.push(Box::new(Link));
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
        let ok = Pipeline::new(vec![Box::new(Segment), Box::new(Needs("tag", &[Field::Sentences], &[Field::Entities])), Box::new(CompleteCutNames), Box::new(Link)]);
        assert_eq!(ok.unwrap().names(), ["segment", "tag", "complete cut names", "link"]);
    }
}
