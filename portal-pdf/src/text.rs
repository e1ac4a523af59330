//! Fonts, shaping with fallback, measuring and wrapping.

use std::sync::Arc;

use krilla::text::{Font, GlyphId, KrillaGlyph};

use crate::PdfError;

/// One face: krilla's handle for drawing, and the bytes for shaping.
#[derive(Clone)]
struct Face {
    font: Font,
    data: Arc<Vec<u8>>,
    index: u32,
}

impl Face {
    fn new(bytes: Vec<u8>, index: u32) -> Result<Self, PdfError> {
        let data = Arc::new(bytes);
        rustybuzz::Face::from_slice(&data, index)
            .ok_or_else(|| PdfError::Font(format!("face {index} does not parse")))?;
        let font = Font::new(krilla::Data::from(data.to_vec()), index).ok_or_else(|| {
            PdfError::Font(format!("face {index} is not usable by the PDF writer"))
        })?;
        Ok(Self { font, data, index })
    }

    fn shaper(&self) -> Option<rustybuzz::Face<'_>> {
        rustybuzz::Face::from_slice(&self.data, self.index)
    }
}

/// The fonts a document is set in: a regular and a bold face, and fallbacks for
/// characters they lack (tried in order, each for the regular and bold text).
#[derive(Clone)]
pub struct Fonts {
    regular: Face,
    bold: Face,
    fallbacks: Vec<Face>,
    /// For each (character, bold): the face that sets it (0 the primary, then the
    /// fallbacks) and its advance per em. Measuring and wrapping read this, so
    /// a font is parsed once per new character, not once per measurement.
    chars: Arc<std::sync::Mutex<CharTable>>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts")
            .field("fallbacks", &self.fallbacks.len())
            .finish_non_exhaustive()
    }
}

/// (character, bold) → (face index, advance per em).
type CharTable = std::collections::HashMap<(char, bool), (usize, f32)>;

/// Where [`Fonts::from_system`] looks, in order of preference.
const REGULAR: [&str; 3] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
];
const BOLD: [&str; 3] = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
];
const CJK: [(&str, u32); 3] = [
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
];

impl Fonts {
    /// Fonts from the bytes of a TrueType or OpenType face (`index` within a
    /// collection); `bold` defaults to the regular face.
    ///
    /// # Errors
    /// [`PdfError::Font`] for bytes that are not a usable font.
    pub fn new(regular: Vec<u8>, bold: Option<Vec<u8>>) -> Result<Self, PdfError> {
        let regular = Face::new(regular, 0)?;
        let bold = match bold {
            Some(bytes) => Face::new(bytes, 0)?,
            None => regular.clone(),
        };
        Ok(Self {
            regular,
            bold,
            fallbacks: Vec::new(),
            chars: Arc::default(),
        })
    }

    /// Adds a fallback face for characters the others lack (CJK, say).
    ///
    /// # Errors
    /// [`PdfError::Font`] for bytes that are not a usable font.
    pub fn with_fallback(mut self, bytes: Vec<u8>, index: u32) -> Result<Self, PdfError> {
        self.fallbacks.push(Face::new(bytes, index)?);
        self.chars = Arc::default();
        Ok(self)
    }

    /// Finds fonts where Debian and Ubuntu install them: DejaVu Sans (or
    /// Liberation Sans, or Noto Sans) regular and bold, and a CJK fallback
    /// (WenQuanYi Micro Hei, Noto Sans CJK, WenQuanYi Zen Hei) when one is there.
    ///
    /// # Errors
    /// [`PdfError::NoSystemFont`] when no regular face is found.
    pub fn from_system() -> Result<Self, PdfError> {
        let read = |path: &str| std::fs::read(path).ok();
        let regular = REGULAR
            .iter()
            .find_map(|p| read(p))
            .ok_or_else(|| PdfError::NoSystemFont(REGULAR.join(", ")))?;
        let bold = BOLD.iter().find_map(|p| read(p));
        let mut fonts = Self::new(regular, bold)?;
        if let Some((bytes, index)) = CJK.iter().find_map(|(p, i)| read(p).map(|b| (b, *i))) {
            fonts = fonts.with_fallback(bytes, index)?;
        }
        Ok(fonts)
    }

    /// Whether some face has a glyph for every character of `text` (spaces
    /// aside): what a test checks before it expects the text back.
    #[must_use]
    pub fn covers(&self, text: &str) -> bool {
        text.chars()
            .filter(|c| !c.is_whitespace())
            .all(|c| self.faces(false).any(|f| glyph_advance(f, c).is_some()))
    }

    fn faces(&self, bold: bool) -> impl Iterator<Item = &Face> {
        std::iter::once(if bold { &self.bold } else { &self.regular }).chain(self.fallbacks.iter())
    }

    fn face(&self, index: usize, bold: bool) -> &Face {
        self.faces(bold)
            .nth(index)
            .unwrap_or(if bold { &self.bold } else { &self.regular })
    }

    /// The face that sets `c` and its advance per em (the primary face's missing
    /// glyph when no face has it).
    fn char_info(&self, c: char, bold: bool) -> (usize, f32) {
        let mut cache = self
            .chars
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *cache.entry((c, bold)).or_insert_with(|| {
            self.faces(bold)
                .enumerate()
                .find_map(|(i, f)| glyph_advance(f, c).map(|a| (i, a)))
                .unwrap_or_else(|| (0, missing_advance(self.face(0, bold))))
        })
    }

    /// The width of `text` per point of size, from the characters' advances (what
    /// wrapping needs; drawing shapes the text).
    pub(crate) fn measure(&self, text: &str, bold: bool) -> f32 {
        text.chars().map(|c| self.char_info(c, bold).1).sum()
    }
}

/// The advance per em of `c` in `face`, if the face has it.
fn glyph_advance(face: &Face, c: char) -> Option<f32> {
    let f = rustybuzz::ttf_parser::Face::parse(&face.data, face.index).ok()?;
    let glyph = f.glyph_index(c)?;
    let upem = f32::from(f.units_per_em().max(1));
    Some(f32::from(f.glyph_hor_advance(glyph).unwrap_or(0)) / upem)
}

/// The advance per em of the face's missing glyph.
fn missing_advance(face: &Face) -> f32 {
    rustybuzz::ttf_parser::Face::parse(&face.data, face.index)
        .ok()
        .map_or(0.5, |f| {
            f32::from(
                f.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(0))
                    .unwrap_or(0),
            ) / f32::from(f.units_per_em().max(1))
        })
}

/// A run of text set in one face, shaped: its glyphs (advances per em) and width
/// per point of size.
#[derive(Clone)]
pub(crate) struct Run {
    pub(crate) font: Font,
    pub(crate) text: String,
    pub(crate) glyphs: Vec<KrillaGlyph>,
    pub(crate) em_width: f32,
}

/// A line of text made of runs, with its width per point of size.
#[derive(Clone, Default)]
pub(crate) struct Shaped {
    pub(crate) runs: Vec<Run>,
    pub(crate) em_width: f32,
}

impl Fonts {
    /// Splits `text` into runs by the first face that has each character (spaces
    /// and marks stay with the run they are in) and shapes each run.
    pub(crate) fn shape(&self, text: &str, bold: bool) -> Shaped {
        let mut pieces: Vec<(&Face, String)> = Vec::new();
        for c in text.chars() {
            let c = if c.is_control() { ' ' } else { c };
            let face = if c.is_whitespace() {
                pieces.last().map_or(self.face(0, bold), |(f, _)| *f)
            } else {
                self.face(self.char_info(c, bold).0, bold)
            };
            match pieces.last_mut() {
                Some((f, s)) if std::ptr::eq(*f, face) => s.push(c),
                _ => pieces.push((face, c.to_string())),
            }
        }
        let mut shaped = Shaped::default();
        for (face, piece) in pieces {
            let Some(shaper) = face.shaper() else {
                continue;
            };
            let upem = f32::from(shaper.units_per_em().max(1) as u16);
            let mut buffer = rustybuzz::UnicodeBuffer::new();
            buffer.push_str(&piece);
            buffer.guess_segment_properties();
            let output = rustybuzz::shape(&shaper, &[], buffer);
            let infos = output.glyph_infos();
            let positions = output.glyph_positions();
            let mut glyphs = Vec::with_capacity(infos.len());
            let mut width = 0.0;
            for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
                let start = info.cluster as usize;
                let end = infos
                    .iter()
                    .skip(i + 1)
                    .map(|n| n.cluster as usize)
                    .find(|&c| c > start)
                    .unwrap_or(piece.len())
                    .max(start);
                let end = if piece.is_char_boundary(end) {
                    end
                } else {
                    piece.len()
                };
                let start = if piece.is_char_boundary(start) && start <= end {
                    start
                } else {
                    end
                };
                let advance = pos.x_advance as f32 / upem;
                width += advance;
                glyphs.push(KrillaGlyph::new(
                    GlyphId::new(info.glyph_id),
                    advance,
                    pos.x_offset as f32 / upem,
                    pos.y_offset as f32 / upem,
                    pos.y_advance as f32 / upem,
                    start..end,
                    None,
                ));
            }
            shaped.em_width += width;
            shaped.runs.push(Run {
                font: face.font.clone(),
                text: piece,
                glyphs,
                em_width: width,
            });
        }
        shaped
    }

    /// Wraps `text` into lines at most `width` points wide at `size`, breaking at
    /// spaces (inside a word, or between ideographs, when it must), at most
    /// `max_lines` lines; a text cut short ends with "…". One pass over the text,
    /// which is cut at a few hundred characters a line before it is read, so a
    /// megabyte costs what a page costs.
    pub(crate) fn wrap(
        &self,
        text: &str,
        bold: bool,
        size: f32,
        width: f32,
        max_lines: usize,
    ) -> Vec<Shaped> {
        let max_lines = max_lines.max(1);
        let limit = width / size;
        let budget = max_lines.saturating_mul(300);
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut current_w = 0.0_f32;
        // Cut before reading: a megabyte costs what a page costs.
        let (text, mut truncated) = match text.char_indices().nth(budget) {
            Some((end, _)) => (&text[..end], true),
            None => (text, false),
        };
        'text: for (p, paragraph) in text.split('\n').enumerate() {
            if p > 0 {
                lines.push(std::mem::take(&mut current).trim_end().to_owned());
                current_w = 0.0;
                if lines.len() >= max_lines {
                    truncated = true;
                    break;
                }
            }
            for word in split_keep_spaces(paragraph) {
                let w = self.measure(&word, bold);
                if current_w + w <= limit {
                    current.push_str(&word);
                    current_w += w;
                    continue;
                }
                if !current.trim().is_empty() {
                    lines.push(std::mem::take(&mut current).trim_end().to_owned());
                    current_w = 0.0;
                    if lines.len() >= max_lines {
                        truncated = true;
                        break 'text;
                    }
                }
                current.clear();
                // The word alone: whole if it fits, else character by character.
                for c in word.trim_start().chars() {
                    let cw = self.char_info(c, bold).1;
                    if current_w + cw > limit && !current.is_empty() {
                        lines.push(std::mem::take(&mut current));
                        current_w = 0.0;
                        if lines.len() >= max_lines {
                            truncated = true;
                            break 'text;
                        }
                    }
                    current.push(c);
                    current_w += cw;
                }
            }
        }
        if (!truncated || lines.len() < max_lines) && (!current.is_empty() || lines.is_empty()) {
            lines.push(current);
        }
        lines.truncate(max_lines);
        if truncated && let Some(last) = lines.last_mut() {
            let ellipsis = self.measure("…", bold);
            while !last.is_empty() && self.measure(last, bold) + ellipsis > limit {
                last.pop();
            }
            last.push('…');
        }
        lines.iter().map(|l| self.shape(l, bold)).collect()
    }
}

/// Words with their leading spaces; each CJK ideograph is a word of its own, so
/// Chinese text breaks between characters.
fn split_keep_spaces(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        let ideograph =
            ('\u{2E80}'..='\u{9FFF}').contains(&c) || ('\u{F900}'..='\u{FAFF}').contains(&c);
        if (c == ' ' || ideograph) && !current.trim().is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}
