//! PDF for the customer portal's documents (D2).
//!
//! [`render`] draws a [`Printable`] (the library's printable model of an invoice,
//! a quote with its signature, a sales order, a receipt or a statement) as an A4
//! PDF with [krilla](https://docs.rs/krilla): the organization and the customer,
//! numbered lines with right-aligned figures, totals, a status stamp, the
//! signature block, the table's header repeated on every page with the running
//! figure carried over, and "Page x of y". Text is shaped with rustybuzz and each
//! run is set in the first font that has its glyphs, so names in Portuguese,
//! Spanish and Chinese print with the right glyphs when a font with that coverage
//! is given; fonts are subset into the file. The same input gives the same bytes.
//!
//! Fonts are the host's choice ([`Fonts`]): give the bytes of a regular and a bold
//! face and any fallbacks, or let [`Fonts::from_system`] find common ones (DejaVu
//! Sans for Latin, WenQuanYi Micro Hei or Noto Sans CJK for Chinese) on a Debian
//! or Ubuntu machine.
//!
//! ```no_run
//! # fn doc(printable: &portal_core::print::Printable) -> Result<(), portal_pdf::PdfError> {
//! let fonts = portal_pdf::Fonts::from_system()?;
//! let bytes = portal_pdf::render(printable, &fonts)?;
//! std::fs::write("invoice.pdf", bytes).expect("write");
//! # Ok(()) }
//! ```

mod layout;
mod text;

use std::path::Path;

pub use layout::render;
use portal_core::print::Printable;
pub use text::Fonts;

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The bytes given as a font are not one.
    #[error("not a usable font: {0}")]
    Font(String),
    /// No font was found where [`Fonts::from_system`] looks.
    #[error(
        "no font found in {0}; install fonts-dejavu-core (and fonts-wqy-microhei for Chinese) or give Fonts::new the bytes"
    )]
    NoSystemFont(String),
    /// The PDF writer refused the document.
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// Renders `printable` and writes it to `path`.
///
/// # Errors
/// [`PdfError`], or [`PdfError::Write`] when the file cannot be written.
pub fn render_to(printable: &Printable, fonts: &Fonts, path: &Path) -> Result<(), PdfError> {
    let bytes = render(printable, fonts)?;
    std::fs::write(path, bytes).map_err(|e| PdfError::Write(e.to_string()))
}

/// The PDF renderer as the portal's [`DocumentRenderer`](portal_core::mailer::DocumentRenderer):
/// give it to `Portal::builder(..).with_renderer(..)` and receipts, forwarded
/// documents and documents the organization emails carry their PDF.
#[derive(Debug, Clone)]
pub struct PdfRenderer {
    fonts: Fonts,
}

impl PdfRenderer {
    /// A renderer that sets documents in `fonts`.
    #[must_use]
    pub fn new(fonts: Fonts) -> Self {
        Self { fonts }
    }
}

impl portal_core::mailer::DocumentRenderer for PdfRenderer {
    fn render(&self, document: &Printable) -> Result<Vec<u8>, String> {
        render(document, &self.fonts).map_err(|e| e.to_string())
    }
}
