//! Byte ↔ code-point offset conversion.

/// Maps byte offsets of one string to code-point offsets in O(log n).
pub struct CharIndex {
    /// Byte offset of every char boundary that starts a multi-byte char run.
    starts: Vec<usize>,
    total_bytes: usize,
    ascii: bool,
}

impl CharIndex {
    pub fn new(text: &str) -> Self {
        let ascii = text.is_ascii();
        let starts = if ascii { Vec::new() } else { text.char_indices().map(|(b, _)| b).collect() };
        CharIndex { starts, total_bytes: text.len(), ascii }
    }

    /// Code-point offset of a byte offset that lies on a char boundary.
    pub fn char_of(&self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        if byte >= self.total_bytes {
            return self.starts.len();
        }
        match self.starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i, // inside a char: round up to the next boundary
        }
    }

    /// Byte offset of a code-point offset.
    pub fn byte_of(&self, ch: usize) -> usize {
        if self.ascii {
            return ch.min(self.total_bytes);
        }
        self.starts.get(ch).copied().unwrap_or(self.total_bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_on_multibyte_text() {
        let text = "Café “Zürich” 東京 👍🏽 end\r\nx";
        let idx = CharIndex::new(text);
        for (ci, (b, _)) in text.char_indices().enumerate() {
            assert_eq!(idx.char_of(b), ci);
            assert_eq!(idx.byte_of(ci), b);
        }
        assert_eq!(idx.char_of(text.len()), text.chars().count());
    }
}
