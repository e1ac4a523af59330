//! The invitation email template, checked when it is saved (SPEC P4).

use serde::{Deserialize, Serialize};

/// A placeholder that an invitation template may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placeholder {
    /// `{contact_name}`: the invited person's name.
    ContactName,
    /// `{customer_name}`: the customer's display name.
    CustomerName,
    /// `{org_name}`: the organization's name.
    OrgName,
    /// `{portal_url}`: the portal's address.
    PortalUrl,
    /// `{invitation_link}`: the single-use link that accepts the invitation.
    InvitationLink,
}

impl Placeholder {
    /// Every placeholder.
    pub const ALL: [Placeholder; 5] = [
        Placeholder::ContactName,
        Placeholder::CustomerName,
        Placeholder::OrgName,
        Placeholder::PortalUrl,
        Placeholder::InvitationLink,
    ];

    /// The name written between braces.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::ContactName => "contact_name",
            Placeholder::CustomerName => "customer_name",
            Placeholder::OrgName => "org_name",
            Placeholder::PortalUrl => "portal_url",
            Placeholder::InvitationLink => "invitation_link",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// Why a template was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// A `{name}` that is not a known placeholder.
    #[error(
        "unknown placeholder {{{0}}} in the {1}; known placeholders are {{contact_name}}, {{customer_name}}, {{org_name}}, {{portal_url}} and {{invitation_link}}"
    )]
    UnknownPlaceholder(String, &'static str),
    /// A `{` without its `}` (write `{{` and `}}` for literal braces).
    #[error("unbalanced brace in the {0}; write {{{{ and }}}} for literal braces")]
    UnbalancedBrace(&'static str),
    /// The body does not contain `{invitation_link}`, so the email could not be acted on.
    #[error("the body must contain {{invitation_link}} so the customer can accept the invitation")]
    MissingInvitationLink,
    /// Subject or body empty, too long, or not plain text.
    #[error(transparent)]
    Text(#[from] super::TextError),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Text(String),
    Value(Placeholder),
}

fn parse(text: &str, part: &'static str) -> Result<Vec<Piece>, TemplateError> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                literal.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                literal.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('{') | None => return Err(TemplateError::UnbalancedBrace(part)),
                        Some(ch) => name.push(ch),
                    }
                }
                let placeholder = Placeholder::from_name(name.trim())
                    .ok_or_else(|| TemplateError::UnknownPlaceholder(name.clone(), part))?;
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Value(placeholder));
            }
            '}' => return Err(TemplateError::UnbalancedBrace(part)),
            other => literal.push(other),
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Text(literal));
    }
    Ok(pieces)
}

/// The values that fill an invitation's placeholders.
#[derive(Debug, Clone)]
pub struct TemplateValues<'a> {
    /// The invited person's name.
    pub contact_name: &'a str,
    /// The customer's display name.
    pub customer_name: &'a str,
    /// The organization's name.
    pub org_name: &'a str,
    /// The portal's address.
    pub portal_url: &'a str,
    /// The invitation link.
    pub invitation_link: &'a str,
}

impl TemplateValues<'_> {
    fn value(&self, p: Placeholder) -> &str {
        match p {
            Placeholder::ContactName => self.contact_name,
            Placeholder::CustomerName => self.customer_name,
            Placeholder::OrgName => self.org_name,
            Placeholder::PortalUrl => self.portal_url,
            Placeholder::InvitationLink => self.invitation_link,
        }
    }
}

/// The subject and body of invitation emails. Only a valid template can be built
/// (deserializing goes through the same check), so rendering cannot fail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawTemplate", into = "RawTemplate")]
pub struct InvitationTemplate {
    subject: String,
    body: String,
}

#[derive(Serialize, Deserialize)]
struct RawTemplate {
    subject: String,
    body: String,
}

impl TryFrom<RawTemplate> for InvitationTemplate {
    type Error = TemplateError;
    fn try_from(raw: RawTemplate) -> Result<Self, Self::Error> {
        InvitationTemplate::new(&raw.subject, &raw.body)
    }
}

impl From<InvitationTemplate> for RawTemplate {
    fn from(t: InvitationTemplate) -> Self {
        RawTemplate {
            subject: t.subject,
            body: t.body,
        }
    }
}

impl Default for InvitationTemplate {
    fn default() -> Self {
        Self {
            subject: "You are invited to the {org_name} customer portal".into(),
            body: "Hello {contact_name},\n\n{org_name} has invited you to its customer portal, \
                   where you can see quotes, invoices and payments of {customer_name}.\n\n\
                   Accept the invitation: {invitation_link}\n\n\
                   The link works once and expires. The portal is at {portal_url}.\n"
                .into(),
        }
    }
}

impl InvitationTemplate {
    /// Checks and builds a template.
    ///
    /// # Errors
    /// [`TemplateError`] for an unknown placeholder, an unbalanced brace, a body
    /// without `{invitation_link}`, or a bad length (subject 1–200, body 1–10 000).
    pub fn new(subject: &str, body: &str) -> Result<Self, TemplateError> {
        super::text::single_line("subject", subject, 1, 200)?;
        super::text::limited("body", body, 1, 10_000)?;
        parse(subject, "subject")?;
        let body_pieces = parse(body, "body")?;
        if !body_pieces.contains(&Piece::Value(Placeholder::InvitationLink)) {
            return Err(TemplateError::MissingInvitationLink);
        }
        Ok(Self {
            subject: subject.to_owned(),
            body: body.to_owned(),
        })
    }

    /// The subject as written.
    #[must_use]
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The body as written.
    #[must_use]
    pub fn body(&self) -> &str {
        &self.body
    }

    /// Fills the placeholders: `(subject, body)`. Line breaks in values are replaced
    /// by spaces in the subject, so a name cannot inject mail headers.
    #[must_use]
    pub fn render(&self, values: &TemplateValues<'_>) -> (String, String) {
        let subject = fill(&self.subject, values).replace(['\r', '\n'], " ");
        (subject, fill(&self.body, values))
    }
}

fn fill(text: &str, values: &TemplateValues<'_>) -> String {
    // Checked at construction; an unparsable text cannot get here.
    parse(text, "text")
        .unwrap_or_default()
        .into_iter()
        .map(|piece| match piece {
            Piece::Text(t) => t,
            Piece::Value(p) => values.value(p).to_owned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values() -> TemplateValues<'static> {
        TemplateValues {
            contact_name: "Ana",
            customer_name: "Silva Lda",
            org_name: "Acme",
            portal_url: "https://p.example/acme",
            invitation_link: "https://p.example/acme/invitation/T",
        }
    }

    #[test]
    fn unknown_placeholder_is_refused_at_save() {
        assert_eq!(
            InvitationTemplate::new("Hi {first_name}", "{invitation_link}"),
            Err(TemplateError::UnknownPlaceholder(
                "first_name".into(),
                "subject"
            ))
        );
        assert_eq!(
            InvitationTemplate::new("Hi", "{invitation_link} {oops"),
            Err(TemplateError::UnbalancedBrace("body"))
        );
        assert_eq!(
            InvitationTemplate::new("Hi", "no link here"),
            Err(TemplateError::MissingInvitationLink)
        );
        assert_eq!(
            InvitationTemplate::new("", "{invitation_link}"),
            Err(TemplateError::Text(super::super::TextError::length(
                "subject", 1, 200, 0
            )))
        );
        assert!(matches!(
            InvitationTemplate::new("Hi\u{0}", "{invitation_link}"),
            Err(TemplateError::Text(e)) if e.problem == super::super::TextProblem::Control
        ));
        assert!(matches!(
            InvitationTemplate::new("Hi", "{invitation_link}\u{0}"),
            Err(TemplateError::Text(e)) if e.problem == super::super::TextProblem::Control
        ));
    }

    #[test]
    fn renders_placeholders_and_literal_braces() {
        let t = InvitationTemplate::new(
            "{org_name} portal for {customer_name}",
            "Dear {contact_name}, {{not a placeholder}}: {invitation_link} ({portal_url})",
        )
        .expect("valid");
        let (subject, body) = t.render(&values());
        assert_eq!(subject, "Acme portal for Silva Lda");
        assert_eq!(
            body,
            "Dear Ana, {not a placeholder}: https://p.example/acme/invitation/T (https://p.example/acme)"
        );
    }

    #[test]
    fn subject_cannot_carry_line_breaks() {
        let t = InvitationTemplate::new("Hi {contact_name}", "{invitation_link}").expect("valid");
        let mut v = values();
        v.contact_name = "Ana\r\nBcc: evil@example.com";
        let (subject, _) = t.render(&v);
        assert!(!subject.contains('\n') && !subject.contains('\r'));
    }

    #[test]
    fn default_template_is_valid_and_deserializing_checks() {
        let t = InvitationTemplate::default();
        assert!(InvitationTemplate::new(t.subject(), t.body()).is_ok());
        let bad = r#"{"subject":"x {nope}","body":"{invitation_link}"}"#;
        assert!(serde_json::from_str::<InvitationTemplate>(bad).is_err());
    }
}
