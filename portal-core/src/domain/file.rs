//! Shared files (SPEC D4): what the store keeps about a file, and the upload checks.
//! The bytes themselves go to a [`crate::store::FileStore`].

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::ids::{ContactId, CustomerId, FileId, OrgId};
use super::text::{TextError, single_line};

/// Who put a file in the customer's folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum FileOrigin {
    /// The organization shared it.
    Org,
    /// A portal user uploaded it.
    Contact(ContactId),
}

/// A file shared between the organization and a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedFile {
    /// Identifier; also the key of its bytes in the [`crate::store::FileStore`].
    pub id: FileId,
    /// The organization.
    pub org: OrgId,
    /// The customer.
    pub customer: CustomerId,
    /// The file name (1 to 255 characters, no path separators).
    pub name: String,
    /// The media type detected from the content (not taken from the name).
    pub content_type: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Who shared it.
    pub origin: FileOrigin,
    /// When.
    pub created_at: OffsetDateTime,
}

/// The upload limits: a size limit and the media types accepted, checked against
/// the content (magic bytes), not only the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadPolicy {
    /// The largest upload, in bytes (default 10 MiB).
    pub max_bytes: u64,
    /// The media types accepted (default: PDF, PNG, JPEG, plain text/CSV).
    pub allowed_types: Vec<String>,
}

impl Default for UploadPolicy {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            allowed_types: ["application/pdf", "image/png", "image/jpeg", "text/plain"]
                .map(String::from)
                .to_vec(),
        }
    }
}

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FileError {
    /// A bad file name.
    #[error(transparent)]
    Name(#[from] TextError),
    /// A name with a path separator or starting with a dot.
    #[error("a file name cannot contain '/' or '\\' or start with '.'")]
    PathInName,
    /// A name with bidirectional-text controls, which can make `exe.pdf` look like
    /// `fdp.exe`.
    #[error("a file name cannot contain bidirectional text controls")]
    DeceptiveName,
    /// An empty file.
    #[error("the file is empty")]
    Empty,
    /// Over the size limit.
    #[error("the file is {size} bytes; the limit is {max} bytes")]
    TooLarge {
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// Content of a type the policy does not accept (or not recognised).
    #[error("files of type {detected} are not accepted; allowed: {allowed}")]
    TypeNotAllowed {
        /// What the content is.
        detected: String,
        /// What is accepted.
        allowed: String,
    },
    /// The name's extension says another type than the content.
    #[error("the file name ends in .{extension} but the content is {detected}")]
    NameMismatch {
        /// The name's extension.
        extension: String,
        /// What the content is.
        detected: String,
    },
}

/// The media type of `bytes` from its content: magic bytes for binary formats,
/// `text/plain` for UTF-8 text without control characters, and
/// `application/octet-stream` for anything else.
#[must_use]
pub fn sniff(bytes: &[u8]) -> &'static str {
    if let Some(kind) = infer::get(bytes) {
        return kind.mime_type();
    }
    match std::str::from_utf8(bytes) {
        Ok(text)
            if !text
                .chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) =>
        {
            "text/plain"
        }
        _ => "application/octet-stream",
    }
}

fn extensions_of(mime: &str) -> &'static [&'static str] {
    match mime {
        "application/pdf" => &["pdf"],
        "image/png" => &["png"],
        "image/jpeg" => &["jpg", "jpeg"],
        "image/gif" => &["gif"],
        "image/webp" => &["webp"],
        "text/plain" => &["txt", "csv", "md", "text"],
        "application/zip" => &["zip"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => &["docx"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => &["xlsx"],
        _ => &[],
    }
}

impl SharedFile {
    /// Checks an upload against `policy` and describes it.
    ///
    /// # Errors
    /// [`FileError`]: bad name, empty, too large, a type not accepted, or a name whose
    /// extension contradicts the content.
    pub fn check(
        org: OrgId,
        customer: CustomerId,
        origin: FileOrigin,
        name: &str,
        bytes: &[u8],
        policy: &UploadPolicy,
        now: OffsetDateTime,
    ) -> Result<Self, FileError> {
        // Stricter than the text rule: not even the weak direction marks, which
        // can still move an extension about in a name.
        if name.chars().any(|c| {
            matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}') || super::is_reordering_control(c)
        }) {
            return Err(FileError::DeceptiveName);
        }
        single_line("file name", name, 1, 255)?;
        let name = name.trim();
        if name.contains(['/', '\\']) || name.starts_with('.') {
            return Err(FileError::PathInName);
        }
        if bytes.is_empty() {
            return Err(FileError::Empty);
        }
        let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if size > policy.max_bytes {
            return Err(FileError::TooLarge {
                size,
                max: policy.max_bytes,
            });
        }
        let detected = sniff(bytes);
        if !policy.allowed_types.iter().any(|t| t == detected) {
            return Err(FileError::TypeNotAllowed {
                detected: detected.to_owned(),
                allowed: policy.allowed_types.join(", "),
            });
        }
        if let Some((_, ext)) = name.rsplit_once('.') {
            let ext = ext.to_ascii_lowercase();
            let known = extensions_of(detected);
            if !known.is_empty() && !known.contains(&ext.as_str()) {
                return Err(FileError::NameMismatch {
                    extension: ext,
                    detected: detected.to_owned(),
                });
            }
        }
        Ok(Self {
            id: FileId::new(),
            org,
            customer,
            name: name.to_owned(),
            content_type: detected.to_owned(),
            size,
            sha256: hex(&Sha256::digest(bytes)),
            origin,
            created_at: now,
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
    const PNG: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

    fn check(name: &str, bytes: &[u8], policy: &UploadPolicy) -> Result<SharedFile, FileError> {
        SharedFile::check(
            OrgId::new(),
            CustomerId::new(),
            FileOrigin::Org,
            name,
            bytes,
            policy,
            OffsetDateTime::UNIX_EPOCH,
        )
    }

    #[test]
    fn the_type_comes_from_the_content() {
        let p = UploadPolicy::default();
        assert_eq!(
            check("a.pdf", PDF, &p).expect("valid").content_type,
            "application/pdf"
        );
        assert_eq!(
            check("scan.png", PNG, &p).expect("valid").content_type,
            "image/png"
        );
        assert_eq!(
            check("notes.txt", b"hello\n", &p)
                .expect("valid")
                .content_type,
            "text/plain"
        );
        // An executable renamed to .pdf is refused by its content.
        let elf = [0x7F, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0];
        assert!(matches!(
            check("invoice.pdf", &elf, &p),
            Err(FileError::TypeNotAllowed { .. })
        ));
        // HTML is recognised as HTML, whatever the name says.
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), "text/html");
        assert!(matches!(
            check("x.pdf", b"<html><script>alert(1)</script>", &p),
            Err(FileError::TypeNotAllowed { .. })
        ));
        // Plain text named as a PDF is refused for the mismatch.
        assert!(matches!(
            check("x.pdf", b"just words", &p),
            Err(FileError::NameMismatch { .. })
        ));
        assert!(matches!(
            check("photo.jpg", PNG, &p),
            Err(FileError::NameMismatch { .. })
        ));
    }

    #[test]
    fn size_name_and_emptiness_are_checked() {
        let p = UploadPolicy {
            max_bytes: 8,
            ..UploadPolicy::default()
        };
        assert_eq!(
            check("a.txt", b"123456789", &p),
            Err(FileError::TooLarge { size: 9, max: 8 })
        );
        assert!(check("a.txt", b"12345678", &p).is_ok());
        assert_eq!(check("a.txt", b"", &p), Err(FileError::Empty));
        assert_eq!(check("../etc/passwd", b"x", &p), Err(FileError::PathInName));
        assert_eq!(check(".env", b"x", &p), Err(FileError::PathInName));
        assert_eq!(
            check("invoice\u{202e}fdp.exe", b"x", &p),
            Err(FileError::DeceptiveName)
        );
        assert!(matches!(check("", b"x", &p), Err(FileError::Name(_))));
    }

    #[test]
    fn the_hash_is_of_the_content() {
        let f = check("a.txt", b"abc", &UploadPolicy::default()).expect("valid");
        assert_eq!(
            f.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(f.size, 3);
    }
}
