//! Page layout: a first pass lays the document out into pages of drawing
//! operations (so the page count is known), a second draws them with krilla.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use portal_core::print::{Align, PrintRow, Printable};

use crate::PdfError;
use crate::text::{Fonts, Shaped};

/// A4 in points, and the margins.
const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 48.0;
const BODY: f32 = 9.0;
const LEADING: f32 = 1.35;
/// The most lines one table cell may take; a longer text ends with "…".
const CELL_LINES: usize = 40;
/// The space between a cell's text and its column's edges.
const CELL_PAD: f32 = 3.0;

const INK: (u8, u8, u8) = (29, 36, 51);
const MUTED: (u8, u8, u8) = (91, 100, 116);
const RULE: (u8, u8, u8) = (190, 197, 208);
const STAMP: (u8, u8, u8) = (180, 35, 24);

/// One drawing operation at page coordinates (y grows downwards; text at its
/// baseline).
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        color: (u8, u8, u8),
        line: Shaped,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        color: (u8, u8, u8),
    },
    Box {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: (u8, u8, u8),
    },
    /// A drawn signature: SVG moves and lines in a 600 × 200 box, scaled.
    Signature {
        x: f32,
        y: f32,
        scale: f32,
        path: String,
    },
}

/// The pages being laid out, and where the next thing goes.
struct Layout<'a> {
    fonts: &'a Fonts,
    doc: &'a Printable,
    pages: Vec<Vec<Op>>,
    y: f32,
    /// Column left edges and widths.
    columns: Vec<(f32, f32)>,
}

impl<'a> Layout<'a> {
    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn text(&mut self, x: f32, y: f32, size: f32, bold: bool, color: (u8, u8, u8), s: &str) -> f32 {
        let line = self.fonts.shape(s, bold);
        let width = line.em_width * size;
        self.ops().push(Op::Text {
            x,
            y,
            size,
            color,
            line,
        });
        width
    }

    fn text_right(
        &mut self,
        right: f32,
        y: f32,
        size: f32,
        bold: bool,
        color: (u8, u8, u8),
        s: &str,
    ) {
        let line = self.fonts.shape(s, bold);
        let x = right - line.em_width * size;
        self.ops().push(Op::Text {
            x,
            y,
            size,
            color,
            line,
        });
    }

    fn rule(&mut self, y: f32, width: f32, color: (u8, u8, u8)) {
        self.ops().push(Op::Rule {
            x1: MARGIN,
            x2: PAGE_W - MARGIN,
            y,
            width,
            color,
        });
    }

    /// The space left above the footer.
    fn room(&self) -> f32 {
        PAGE_H - MARGIN - 28.0 - self.y
    }

    /// The first page's heading: the organization, the title and facts, the
    /// customer, the stamp.
    fn first_heading(&mut self) {
        let doc = self.doc;
        let mut y = MARGIN + 14.0;
        self.text(MARGIN, y, 14.0, true, INK, &doc.from.name);
        let right = PAGE_W - MARGIN;
        self.text_right(right, y + 4.0, 18.0, true, INK, &doc.title);
        let mut fy = y + 24.0;
        for (label, value) in &doc.facts {
            self.text_right(right, fy, BODY, false, MUTED, &format!("{label}: {value}"));
            fy += BODY * LEADING;
        }
        if let Some(stamp) = doc.stamp.as_ref().map(|s| s.text.as_str()) {
            let w = self.fonts.shape(stamp, true).em_width * 12.0;
            let (bx, by) = (right - w - 12.0, fy + 4.0);
            self.ops().push(Op::Box {
                x: bx,
                y: by,
                w: w + 12.0,
                h: 20.0,
                color: STAMP,
            });
            self.text(bx + 6.0, by + 14.5, 12.0, true, STAMP, stamp);
            fy += 28.0;
        }
        y += 16.0;
        for line in doc.from.lines.iter().take(6) {
            self.text(MARGIN, y, BODY, false, MUTED, line);
            y += BODY * LEADING;
        }
        y += 14.0;
        self.text(MARGIN, y, BODY, false, MUTED, &doc.labels.bill_to);
        y += BODY * LEADING + 2.0;
        self.text(MARGIN, y, 11.0, true, INK, &doc.to.name);
        y += 11.0 * LEADING;
        for line in doc.to.lines.iter().take(8) {
            self.text(MARGIN, y, BODY, false, INK, line);
            y += BODY * LEADING;
        }
        self.y = y.max(fy) + 16.0;
    }

    /// A continuation page's heading: who and what, continued.
    fn next_heading(&mut self) {
        let doc = self.doc;
        let y = MARGIN + 12.0;
        self.text(MARGIN, y, 10.0, true, INK, &doc.from.name);
        self.text_right(PAGE_W - MARGIN, y, 10.0, true, INK, &doc.labels.continued);
        self.rule(y + 6.0, 0.5, RULE);
        self.y = y + 24.0;
    }

    fn table_header(&mut self) {
        let y = self.y;
        for (i, c) in self.doc.columns.iter().enumerate() {
            let (x, w) = self.columns[i];
            match c.align {
                Align::Left => {
                    self.text(x + CELL_PAD, y, BODY, true, INK, &c.label);
                }
                Align::Right => self.text_right(x + w - CELL_PAD, y, BODY, true, INK, &c.label),
            }
        }
        self.rule(y + 4.0, 0.8, INK);
        self.y = y + 7.0;
    }

    fn carry_line(&mut self, label: &str, amount: &str) {
        let y = self.y + BODY + 2.0;
        self.text(MARGIN + CELL_PAD, y, BODY, false, MUTED, label);
        self.text_right(PAGE_W - MARGIN - CELL_PAD, y, BODY, true, MUTED, amount);
        self.y = y + 7.0;
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.next_heading();
    }

    /// The rows, breaking pages where they must: the page ends with what it
    /// carries forward, the next starts with the header and what it brings.
    fn rows(&mut self) {
        let doc = self.doc;
        let line_h = BODY * LEADING;
        let mut carried: Option<&str> = None;
        for row in &doc.rows {
            let cells = self.cells(row);
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let height = lines as f32 * line_h + 4.0;
            if height + line_h * 2.0 > self.room() && self.y > MARGIN + 200.0 {
                if let Some(amount) = carried {
                    self.carry_line(&doc.labels.carried_forward, amount);
                }
                self.new_page();
                self.table_header();
                if let Some(amount) = carried {
                    self.carry_line(&doc.labels.brought_forward, amount);
                }
            }
            let mut y = self.y + BODY;
            for n in 0..lines {
                for (i, column) in doc.columns.iter().enumerate() {
                    let Some(line) = cells.get(i).and_then(|c| c.get(n)) else {
                        continue;
                    };
                    let (x, w) = self.columns[i];
                    let x = match column.align {
                        Align::Left => x + CELL_PAD,
                        Align::Right => x + w - CELL_PAD - line.em_width * BODY,
                    };
                    let line = line.clone();
                    self.ops().push(Op::Text {
                        x,
                        y,
                        size: BODY,
                        color: INK,
                        line,
                    });
                }
                y += line_h;
            }
            self.y = y - BODY + 4.0;
            self.rule(self.y - 2.0, 0.4, RULE);
            carried = Some(&row.carried);
        }
        self.y += 8.0;
    }

    fn cells(&self, row: &PrintRow) -> Vec<Vec<Shaped>> {
        row.cells
            .iter()
            .zip(&self.columns)
            .zip(&self.doc.columns)
            .map(|((text, (_, w)), column)| {
                let lines = if column.align == Align::Right {
                    2
                } else {
                    CELL_LINES
                };
                self.fonts
                    .wrap(text, false, BODY, w - 2.0 * CELL_PAD, lines)
            })
            .collect()
    }

    /// Label and value pairs right-aligned under the table; the last one bold
    /// when `strong`.
    fn pairs(&mut self, pairs: &[(String, String)], strong: bool) {
        let right = PAGE_W - MARGIN;
        for (i, (label, value)) in pairs.iter().enumerate() {
            if self.room() < 20.0 {
                self.new_page();
            }
            let bold = strong && i + 1 == pairs.len();
            let size = if bold { 11.0 } else { BODY + 1.0 };
            self.y += size * LEADING;
            self.text_right(right - 130.0, self.y, size, bold, MUTED, label);
            self.text_right(right, self.y, size, bold, INK, value);
        }
        self.y += 12.0;
    }

    fn signature(&mut self) {
        let Some(s) = &self.doc.signature else {
            return;
        };
        if self.room() < 140.0 {
            self.new_page();
        }
        self.y += 10.0;
        self.text(MARGIN, self.y, 11.0, true, INK, &self.doc.labels.signed);
        self.y += 11.0 * LEADING + 4.0;
        if let Some(typed) = &s.typed {
            self.y += 20.0;
            self.text(MARGIN + 4.0, self.y, 20.0, false, INK, typed);
            self.y += 10.0;
        }
        if let Some(path) = &s.drawn {
            let scale = 200.0 / 600.0;
            let y = self.y;
            self.ops().push(Op::Signature {
                x: MARGIN,
                y,
                scale,
                path: path.clone(),
            });
            self.y += 200.0 * scale + 6.0;
        }
        let y = self.y;
        self.ops().push(Op::Rule {
            x1: MARGIN,
            x2: MARGIN + 220.0,
            y,
            width: 0.6,
            color: INK,
        });
        self.y += BODY * LEADING + 2.0;
        let signed = format!("{} · {}", s.signer, s.signed_at);
        self.text(MARGIN, self.y, BODY, false, INK, &signed);
        self.y += BODY * LEADING;
        self.text(MARGIN, self.y, 7.0, false, MUTED, &s.hash_line);
        self.y += 16.0;
    }
}

/// The left edge and width of each column: the table's width shared by weight.
fn column_geometry(doc: &Printable) -> Vec<(f32, f32)> {
    let total: f32 = doc.columns.iter().map(|c| f32::from(c.weight.max(1))).sum();
    let width = PAGE_W - 2.0 * MARGIN;
    let mut x = MARGIN;
    doc.columns
        .iter()
        .map(|c| {
            let w = width * f32::from(c.weight.max(1)) / total;
            let out = (x, w);
            x += w;
            out
        })
        .collect()
}

/// Renders the document as an A4 PDF.
///
/// # Errors
/// [`PdfError::Write`] if the PDF writer refuses the document.
pub fn render(doc: &Printable, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    let mut layout = Layout {
        fonts,
        doc,
        pages: Vec::new(),
        y: MARGIN,
        columns: column_geometry(doc),
    };
    layout.pages.push(Vec::new());
    layout.first_heading();
    layout.table_header();
    layout.rows();
    layout.pairs(&doc.totals, true);
    if !doc.notes.is_empty() {
        layout.pairs(&doc.notes, false);
    }
    layout.signature();

    let count = layout.pages.len();
    let footer_name = doc.from.name.clone();
    let mut document = Document::new();
    document.set_metadata(
        krilla::metadata::Metadata::new()
            .title(doc.title.clone())
            .language(doc.language.clone())
            .creator("portal-pdf".into()),
    );
    for (n, mut ops) in layout.pages.into_iter().enumerate() {
        let footer = doc.labels.page(n + 1, count);
        let line = fonts.shape(&footer, false);
        let fy = PAGE_H - MARGIN + 14.0;
        ops.push(Op::Text {
            x: PAGE_W - MARGIN - line.em_width * 8.0,
            y: fy,
            size: 8.0,
            color: MUTED,
            line,
        });
        ops.push(Op::Text {
            x: MARGIN,
            y: fy,
            size: 8.0,
            color: MUTED,
            line: fonts.shape(&footer_name, false),
        });
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
            .ok_or_else(|| PdfError::Write("page size".into()))?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        for op in &ops {
            draw(&mut surface, op);
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PdfError::Write(format!("{e:?}")))
}

fn paint((r, g, b): (u8, u8, u8)) -> krilla::paint::Paint {
    rgb::Color::new(r, g, b).into()
}

fn stroke(color: (u8, u8, u8), width: f32) -> Stroke {
    Stroke {
        paint: paint(color),
        width,
        ..Stroke::default()
    }
}

fn draw(surface: &mut Surface<'_>, op: &Op) {
    match op {
        Op::Text {
            x,
            y,
            size,
            color,
            line,
        } => {
            surface.set_fill(Some(Fill {
                paint: paint(*color),
                opacity: NormalizedF32::ONE,
                rule: krilla::paint::FillRule::default(),
            }));
            surface.set_stroke(None);
            let mut cursor = *x;
            for run in &line.runs {
                surface.draw_glyphs(
                    Point::from_xy(cursor, *y),
                    &run.glyphs,
                    run.font.clone(),
                    &run.text,
                    *size,
                    false,
                );
                cursor += run.em_width * size;
            }
        }
        Op::Rule {
            x1,
            x2,
            y,
            width,
            color,
        } => {
            let mut p = PathBuilder::new();
            p.move_to(*x1, *y);
            p.line_to(*x2, *y);
            if let Some(path) = p.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(*color, *width)));
                surface.draw_path(&path);
            }
        }
        Op::Box { x, y, w, h, color } => {
            let mut p = PathBuilder::new();
            if let Some(rect) = krilla::geom::Rect::from_xywh(*x, *y, *w, *h) {
                p.push_rect(rect);
            }
            if let Some(path) = p.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(*color, 1.5)));
                surface.draw_path(&path);
            }
        }
        Op::Signature { x, y, scale, path } => {
            let mut p = PathBuilder::new();
            let mut numbers = Vec::new();
            let mut command = ' ';
            let mut started = false;
            for token in path.split_whitespace() {
                let (c, rest) = match token.chars().next() {
                    Some(c @ ('M' | 'L')) => (Some(c), &token[1..]),
                    _ => (None, token),
                };
                if let Some(c) = c {
                    command = c;
                }
                if let Ok(v) = rest.parse::<f32>() {
                    numbers.push(v);
                }
                if numbers.len() == 2 {
                    let (px, py) = (
                        x + numbers[0].clamp(0.0, 600.0) * scale,
                        y + numbers[1].clamp(0.0, 200.0) * scale,
                    );
                    if command == 'M' || !started {
                        p.move_to(px, py);
                        started = true;
                    } else {
                        p.line_to(px, py);
                    }
                    numbers.clear();
                }
            }
            if let Some(path) = p.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(INK, 1.2)));
                surface.draw_path(&path);
            }
        }
    }
}
