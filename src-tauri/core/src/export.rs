//! The export file: a zip holding `data.json` (the data in the versioned
//! schema of `docs/export-schema.json`, which is in the zip too as
//! `schema.json`) and `index.html`, a readable, self-contained copy in which
//! every text is HTML-escaped.

use std::io::{Cursor, Write};

use serde::Serialize;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::domain::OwnerKind;
use crate::service::export::{ExportDialogue, ExportNote};
use crate::service::Export;
use crate::{Error, Result};

/// The JSON Schema `data.json` follows.
pub const SCHEMA: &str = include_str!("../../../docs/export-schema.json");

/// The export's suggested file name: `tillid-<name>-<day>.zip`, with only
/// letters, digits and dashes in the name.
pub fn file_name(export: &Export) -> String {
    let name: String = export
        .person
        .name
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let day = export.exported_at.get(..10).unwrap_or("");
    format!("tillid-{}-{day}.zip", name.trim_matches('-'))
}

/// The zip's bytes.
pub fn zip(export: &Export) -> Result<Vec<u8>> {
    let data = json(export)?;
    let page = html(export);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o644);
    let files: [(&str, &[u8]); 3] = [
        ("data.json", data.as_bytes()),
        ("index.html", page.as_bytes()),
        ("schema.json", SCHEMA.as_bytes()),
    ];
    for (name, bytes) in files {
        zip.start_file(name, options).map_err(storage)?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish().map_err(storage)?.into_inner())
}

fn storage(e: zip::result::ZipError) -> Error {
    Error::Storage(e.to_string())
}

/// `data.json`, pretty-printed.
pub fn json(export: &Export) -> Result<String> {
    to_json(export)
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Storage(e.to_string()))
}

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

/// The words of the readable copy, in the exporting person's language.
struct Words {
    title_own: &'static str,
    title_about: &'static str,
    intro: &'static str,
    exported: &'static str,
    by: &'static str,
    workplace: &'static str,
    manager: &'static str,
    groups: &'static str,
    dialogues: &'static str,
    none: &'static str,
    participants: &'static str,
    confirmed: &'static str,
    not_confirmed: &'static str,
    cancelled_by: &'static str,
    agenda: &'static str,
    shared_notes: &'static str,
    private_notes_own: &'static str,
    private_notes_manager: &'static str,
    agreements: &'static str,
    owner_group: &'static str,
    follow_up: &'static str,
    if_then: &'static str,
    answers: &'static str,
    requests: &'static str,
    rule_reports: &'static str,
    cases: &'static str,
    handovers: &'static str,
    shared_with: &'static str,
    kept_from: &'static str,
    damaged: &'static str,
    held: &'static str,
    shared: &'static str,
}

const DA: Words = Words {
    title_own: "Alt, hvad Tillid har om dig",
    title_about: "Alt, hvad Tillid har om en medarbejder",
    intro: "En læsbar kopi af data.json, som er de samme oplysninger i et fast format.",
    exported: "Udtrukket",
    by: "af",
    workplace: "Arbejdsplads",
    manager: "Leder",
    groups: "Personalegrupper",
    dialogues: "Samtaler",
    none: "Ingen.",
    participants: "Deltagere",
    confirmed: "bekræftet version",
    not_confirmed: "ikke bekræftet",
    cancelled_by: "Aflyst af",
    agenda: "Dagsorden",
    shared_notes: "Delte noter",
    private_notes_own: "Dine private noter",
    private_notes_manager: "Lederens private noter",
    agreements: "Aftaler",
    owner_group: "hele gruppen",
    follow_up: "opfølgning",
    if_then: "hvis–så",
    answers: "Forberedelse",
    requests: "Ønsker om en samtale",
    rule_reports: "Regler meldt med navn",
    cases: "Gode eksempler",
    handovers: "Ny leder: dine valg om tidligere samtaler",
    shared_with: "delt med",
    kept_from: "ikke delt med",
    damaged: "(kunne ikke læses: ændret uden om Tillid)",
    held: "holdt",
    shared: "delt",
};

const EN: Words = Words {
    title_own: "Everything Tillid holds about you",
    title_about: "Everything Tillid holds about an employee",
    intro: "A readable copy of data.json, which holds the same in a fixed format.",
    exported: "Exported",
    by: "by",
    workplace: "Workplace",
    manager: "Manager",
    groups: "Personnel groups",
    dialogues: "Dialogues",
    none: "None.",
    participants: "Participants",
    confirmed: "confirmed version",
    not_confirmed: "not confirmed",
    cancelled_by: "Cancelled by",
    agenda: "Agenda",
    shared_notes: "Shared notes",
    private_notes_own: "Your private notes",
    private_notes_manager: "The manager's private notes",
    agreements: "Agreements",
    owner_group: "the whole group",
    follow_up: "follow-up",
    if_then: "if–then",
    answers: "Preparation",
    requests: "Requests for a dialogue",
    rule_reports: "Rules reported by name",
    handovers: "A new manager: your choices about earlier dialogues",
    shared_with: "shared with",
    kept_from: "not shared with",
    cases: "Good cases",
    damaged: "(could not be read: changed outside Tillid)",
    held: "held",
    shared: "shared",
};

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;\
padding:0 1rem;line-height:1.5;color:#1a1a1a}h1{font-size:1.6rem}h2{font-size:1.25rem;\
margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.05rem;margin-bottom:.25rem}\
h4{font-size:.95rem;margin:.75rem 0 .25rem}.meta{color:#555}section.dialogue{margin-bottom:1.5rem}\
ul{padding-left:1.25rem}li{margin:.2rem 0;white-space:pre-wrap}";

/// The readable copy: one page, its style inside, no scripts, no links out.
pub fn html(export: &Export) -> String {
    let en = export.locale == "en";
    let w = if en { &EN } else { &DA };
    let own = export.export == "own";
    let mut h = String::new();
    let title = if own { w.title_own } else { w.title_about };
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
<title>{} – {}</title><style>{STYLE}</style></head><body>\n",
        if export.locale == "en" { "en" } else { "da" },
        escape(title),
        escape(&export.person.name),
    ));
    h.push_str(&format!(
        "<h1>{}: {}</h1>\n<p class=\"meta\">{}</p>\n<p class=\"meta\">{} {} {} {} · {}: {} · schema_version {}</p>\n",
        escape(title),
        escape(&export.person.name),
        escape(w.intro),
        escape(w.exported),
        escape(&export.exported_at),
        escape(w.by),
        escape(&export.exported_by.name),
        escape(w.workplace),
        escape(&export.workplace),
        export.schema_version,
    ));
    h.push_str("<ul>");
    if let Some(m) = &export.person.manager {
        item(&mut h, &format!("{}: {}", w.manager, m.name));
    }
    if !export.person.groups.is_empty() {
        let names: Vec<&str> = export
            .person
            .groups
            .iter()
            .map(|g| g.name.as_str())
            .collect();
        item(&mut h, &format!("{}: {}", w.groups, names.join(", ")));
    }
    h.push_str("</ul>\n");

    heading(&mut h, 2, w.dialogues);
    if export.dialogues.is_empty() {
        para(&mut h, w.none);
    }
    for d in &export.dialogues {
        dialogue(&mut h, w, en, own, d);
    }

    heading(&mut h, 2, w.requests);
    list(
        &mut h,
        w,
        export.requests.iter().map(|r| {
            let mut line = format!(
                "{} · {} → {} · {}",
                r.created_at,
                say(en, r.kind.as_str()),
                r.manager.name,
                say(en, r.status)
            );
            if let Some(reason) = &r.reason {
                line.push_str(&format!(" · »{reason}«"));
            }
            if let Some(answer) = &r.answer {
                line.push_str(&format!(" · »{answer}«"));
            }
            (line, r.damaged)
        }),
    );

    heading(&mut h, 2, w.rule_reports);
    list(
        &mut h,
        w,
        export.rule_reports.iter().map(|r| {
            let mut line = format!(
                "{} · {} · {}",
                r.reported_on,
                say(en, r.status.as_str()),
                r.text
            );
            if let Some(reason) = &r.reason {
                line.push_str(&format!(" · »{reason}«"));
            }
            (line, r.damaged)
        }),
    );

    heading(&mut h, 2, w.cases);
    list(
        &mut h,
        w,
        export.cases.iter().map(|c| {
            let shared = if c.shared {
                format!(" ({})", w.shared)
            } else {
                String::new()
            };
            (format!("{}{shared}: {}", c.title, c.text), c.damaged)
        }),
    );
    heading(&mut h, 2, w.handovers);
    list(
        &mut h,
        w,
        export.handovers.iter().map(|d| {
            let how = if d.decision == "share" {
                w.shared_with
            } else {
                w.kept_from
            };
            (
                format!(
                    "{} · {} → {how} {}",
                    d.decided_at, d.old_manager.name, d.new_manager.name
                ),
                false,
            )
        }),
    );
    h.push_str("</body></html>\n");
    h
}

fn dialogue(h: &mut String, w: &Words, en: bool, own: bool, d: &ExportDialogue) {
    h.push_str("<section class=\"dialogue\">");
    let with = match (&d.employee, &d.group) {
        (Some(e), _) => format!("{} – {}", d.manager.name, e.name),
        (None, Some(g)) => format!("{} – {}", d.manager.name, g.name),
        (None, None) => d.manager.name.clone(),
    };
    heading(
        h,
        3,
        &format!(
            "{} · {} · {}",
            say(en, d.kind.as_str()),
            d.scheduled_at,
            with
        ),
    );
    let mut state = say(en, d.state.as_str()).to_owned();
    if let Some(held) = &d.held_at {
        state.push_str(&format!(" · {} {held}", w.held));
    }
    para(h, &state);
    if let Some(c) = &d.cancellation {
        let mut line = format!("{} {} · {}", w.cancelled_by, c.by.name, c.at);
        if let Some(reason) = &c.reason {
            line.push_str(&format!(" · »{reason}«"));
        }
        para(h, &line);
    }
    heading(h, 4, w.participants);
    list(
        h,
        w,
        d.participants.iter().map(|p| {
            let confirmed = match (&p.confirmed_version, &p.confirmed_at) {
                (Some(v), Some(at)) => format!("{} {v} ({at})", w.confirmed),
                _ => w.not_confirmed.to_owned(),
            };
            (
                format!("{} ({}) · {confirmed}", p.name, say(en, p.role.as_str())),
                false,
            )
        }),
    );
    heading(h, 4, w.agenda);
    list(
        h,
        w,
        d.agenda.iter().map(|a| {
            (
                format!(
                    "{} ({}, {}): {}",
                    a.author.name,
                    say(en, a.status.as_str()),
                    a.id,
                    a.text
                ),
                a.damaged,
            )
        }),
    );
    heading(h, 4, w.shared_notes);
    notes(h, w, &d.shared_notes);
    heading(
        h,
        4,
        if own {
            w.private_notes_own
        } else {
            w.private_notes_manager
        },
    );
    notes(h, w, &d.private_notes);
    heading(h, 4, w.agreements);
    list(
        h,
        w,
        d.agreements.iter().map(|a| {
            let owner = match a.owner.kind {
                OwnerKind::Group => w.owner_group.to_owned(),
                OwnerKind::Person => a.owner.name.clone(),
            };
            let mut line = format!("{} · {owner} · {}", a.text, say(en, a.state.as_str()));
            if let Some(day) = &a.follow_up_on {
                line.push_str(&format!(" · {} {day}", w.follow_up));
            }
            if let Some(plan) = &a.if_then {
                line.push_str(&format!(" · {}: {plan}", w.if_then));
            }
            for u in &a.history {
                line.push_str(&format!(
                    "\n  {} {}: {} → {}",
                    u.at,
                    u.by.name,
                    say(en, u.from.as_str()),
                    say(en, u.to.as_str())
                ));
                if let Some(comment) = &u.comment {
                    line.push_str(&format!(" »{comment}«"));
                }
            }
            (line, a.damaged)
        }),
    );
    if !d.preparation_answers.is_empty() {
        heading(h, 4, w.answers);
        list(
            h,
            w,
            d.preparation_answers.iter().map(|a| {
                let question = if a.question.da.is_empty() {
                    &a.question.en
                } else {
                    &a.question.da
                };
                (format!("{question}\n{}", a.text), a.damaged)
            }),
        );
    }
    h.push_str("</section>\n");
}

fn notes(h: &mut String, w: &Words, notes: &[ExportNote]) {
    list(
        h,
        w,
        notes.iter().map(|n| {
            (
                format!("{} ({}): {}", n.author.name, n.updated_at, n.text),
                n.damaged,
            )
        }),
    );
}

/// A stored word (kind, state, role, status) as the reader says it.
fn say(en: bool, word: &str) -> &str {
    let (da, english) = match word {
        "mus" => ("MUS", "MUS"),
        "grus" => ("GRUS", "GRUS"),
        "follow_up" => ("Opfølgningssamtale", "Follow-up"),
        "wellbeing" => ("Trivselssamtale", "Well-being talk"),
        "ad_hoc" => ("Ad hoc-samtale", "Ad hoc talk"),
        "planned" => ("planlagt", "planned"),
        "held" => ("holdt", "held"),
        "confirmed" => ("bekræftet", "confirmed"),
        "cancelled" => ("aflyst", "cancelled"),
        "open" => ("åben", "open"),
        "done" => ("udført", "done"),
        "renegotiated" => ("genforhandlet", "renegotiated"),
        "dropped" => ("ikke længere aktuel", "no longer relevant"),
        "discussed" => ("drøftet", "discussed"),
        "manager" => ("leder", "manager"),
        "employee" => ("medarbejder", "employee"),
        "member" => ("medlem", "member"),
        "answered" => ("besvaret", "answered"),
        "new" => ("ny", "new"),
        "taken_up" => ("taget op", "taken up"),
        "removed" => ("fjernet", "removed"),
        "kept" => ("beholdt", "kept"),
        other => (other, other),
    };
    if en {
        english
    } else {
        da
    }
}

fn heading(h: &mut String, level: u8, text: &str) {
    h.push_str(&format!("<h{level}>{}</h{level}>\n", escape(text)));
}

fn para(h: &mut String, text: &str) {
    h.push_str(&format!("<p>{}</p>\n", escape(text)));
}

fn item(h: &mut String, text: &str) {
    h.push_str(&format!("<li>{}</li>", escape(text)));
}

fn list(h: &mut String, w: &Words, items: impl Iterator<Item = (String, bool)>) {
    let mut any = false;
    for (text, damaged) in items {
        if !any {
            h.push_str("<ul>");
            any = true;
        }
        let text = if damaged {
            format!("{text} {}", w.damaged)
        } else {
            text
        };
        item(h, &text);
    }
    if any {
        h.push_str("</ul>\n");
    } else {
        para(h, w.none);
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(
            escape("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }
}
