//! A dialogue's summary as one standalone HTML document: inline CSS, no
//! script, no outside resource, every text escaped.

use std::fmt::Write;

use chrono::{DateTime, NaiveDate, Utc};

use super::words::{Label, Lang};
use super::zone;
use crate::service::print::{Scope, SummaryDoc};
use crate::Result;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;\
line-height:1.5;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}\
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem;\
border-bottom:1px solid #999}dl{display:grid;grid-template-columns:max-content 1fr;\
gap:.25rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}ol,ul{padding-left:1.25rem}\
li{margin-bottom:.75rem;break-inside:avoid}.text{white-space:pre-wrap;unicode-bidi:plaintext}\
.meta{color:#444;font-size:.9rem}.warn{border:2px solid #000;padding:.5rem}\
footer{margin-top:2rem;color:#444;font-size:.8rem}\
@media print{body{margin:0;max-width:none}a{color:inherit}}";

fn moment(lang: Lang, text: &str) -> String {
    match text.parse::<DateTime<Utc>>() {
        Ok(at) => lang.moment(zone::local(at)),
        Err(_) => text.to_string(),
    }
}

fn day(lang: Lang, text: &str) -> String {
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) => lang.date(d),
        Err(_) => text.to_string(),
    }
}

/// The whole document. `made` is when it was written (shown in the footer).
pub fn summary(doc: &SummaryDoc, lang: Lang, made: DateTime<Utc>) -> Result<String> {
    let e = escape;
    let l = |k| e(lang.label(k));
    let title = format!(
        "{} – {}",
        lang.meeting_title(doc.kind, &doc.counterpart),
        match doc.scope {
            Scope::Agreements => lang.label(Label::DevelopmentPlan),
            Scope::Whole => lang.label(Label::Summary),
        }
    );
    let mut h = String::new();
    // `write!` into a String cannot fail; the results are ignored.
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        lang.code(),
        e(&title),
        e(&title)
    );
    if doc.state_damaged {
        let _ = writeln!(h, "<p class=\"warn\">{}</p>", l(Label::StateDamaged));
    }
    let _ = write!(
        h,
        "<dl>\n<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n",
        l(Label::Workplace),
        e(&doc.workplace),
        l(Label::When),
        e(&moment(lang, &doc.scheduled_at))
    );
    if let Some(held) = &doc.held_at {
        let _ = writeln!(
            h,
            "<dt>{}</dt><dd>{}</dd>",
            l(Label::HeldAt),
            e(&moment(lang, held))
        );
    }
    let _ = write!(
        h,
        "<dt>{}</dt><dd>{}</dd>\n<dt>{}</dt><dd>{}</dd>\n</dl>\n",
        l(Label::State),
        e(lang.dialogue_state(doc.state)),
        l(Label::Version2),
        doc.summary_version
    );

    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<ul class=\"participants\">",
        l(Label::Participants)
    );
    for p in &doc.participants {
        let confirmed = match (&p.confirmed_version, &p.confirmed_at) {
            (Some(v), Some(at)) => format!(
                "{} {}, {} {v}",
                lang.label(Label::Confirmed),
                moment(lang, at),
                lang.label(Label::Version)
            ),
            _ => lang.label(Label::NotConfirmed).to_string(),
        };
        let _ = writeln!(
            h,
            "<li><span class=\"text\">{}</span> ({}) <span class=\"meta\">– {}</span></li>",
            e(&p.name),
            e(lang.role(p.role)),
            e(&confirmed)
        );
    }
    let _ = writeln!(h, "</ul>");

    let _ = writeln!(h, "<h2>{}</h2>", l(Label::Agreements));
    if doc.agreements.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", l(Label::NoAgreements));
    } else {
        let _ = writeln!(h, "<ol class=\"agreements\">");
        for a in &doc.agreements {
            let text = if a.damaged {
                lang.label(Label::Damaged).to_string()
            } else {
                a.text.clone()
            };
            let _ = write!(h, "<li><div class=\"text\">{}</div>\n<dl>", e(&text));
            let _ = write!(
                h,
                "<dt>{}</dt><dd class=\"text\">{}</dd>",
                l(Label::Owner),
                e(&a.owner)
            );
            if let Some(on) = &a.follow_up_on {
                let _ = write!(
                    h,
                    "<dt>{}</dt><dd>{}</dd>",
                    l(Label::FollowUp),
                    e(&day(lang, on))
                );
            }
            if let Some(plan) = a.if_then.as_deref().filter(|p| !p.is_empty() && !a.damaged) {
                let _ = write!(
                    h,
                    "<dt>{}</dt><dd class=\"text\">{}</dd>",
                    l(Label::IfThen),
                    e(plan)
                );
            }
            let _ = writeln!(
                h,
                "<dt>{}</dt><dd>{}</dd></dl></li>",
                l(Label::State),
                e(lang.agreement_state(a.state))
            );
        }
        let _ = writeln!(h, "</ol>");
    }

    if doc.scope == Scope::Whole {
        let _ = writeln!(h, "<h2>{}</h2>", l(Label::SharedNotes));
        if doc.notes.is_empty() {
            let _ = writeln!(h, "<p>{}</p>", l(Label::NoNotes));
        } else {
            let _ = writeln!(h, "<ul class=\"notes\">");
            for n in &doc.notes {
                let text = if n.damaged {
                    lang.label(Label::Damaged).to_string()
                } else {
                    n.text.clone()
                };
                let _ = writeln!(
                    h,
                    "<li><div class=\"text\">{}</div><div class=\"meta\">{} {}, {}</div></li>",
                    e(&text),
                    l(Label::By),
                    e(&n.author),
                    e(&moment(lang, &n.created_at))
                );
            }
            let _ = writeln!(h, "</ul>");
        }
    }
    let _ = write!(
        h,
        "</main>\n<footer>{}, {}</footer>\n</body>\n</html>\n",
        l(Label::Made),
        e(&lang.moment(zone::local(made)))
    );
    Ok(h)
}
