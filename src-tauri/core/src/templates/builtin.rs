//! The built-in templates, in Danish and English. Written for Tillid from
//! the themes Danish MUS, GRUS, follow-up and well-being guides share (see
//! the project's domain notes); the "du" form, plainly.

use super::{Question, Section, Side, Template, Text};
use crate::domain::DialogueKind;

fn q(side: Side, da: &str, en: &str) -> Question {
    Question {
        text: Text::new(da, en),
        side,
    }
}

fn section(da: &str, en: &str, questions: Vec<Question>) -> Section {
    Section {
        title: Text::new(da, en),
        questions,
    }
}

/// The built-in template of a kind, as Tillid ships it.
pub fn builtin(kind: DialogueKind) -> Template {
    match kind {
        DialogueKind::Mus => mus(),
        DialogueKind::Grus => grus(),
        DialogueKind::FollowUp => follow_up(),
        DialogueKind::Wellbeing => wellbeing(),
        DialogueKind::AdHoc => Template {
            kind,
            name: Text::new("Ad hoc-samtale", "Ad hoc talk"),
            guide: Text::default(),
            sections: Vec::new(),
        },
    }
}

fn mus() -> Template {
    use Side::*;
    Template {
        kind: DialogueKind::Mus,
        name: Text::new("MUS", "MUS (employee development talk)"),
        guide: Text::new(
            "MUS er en samtale om dit arbejde og din udvikling. Den er ikke en lønsamtale, \
             ikke en tjenstlig samtale og ikke en bedømmelse af dig, og den er ikke stedet at \
             løse konflikter eller kritisere kolleger. I forbereder jer begge, og I afsætter \
             1½–2 timer. Det, I taler om, bliver mellem jer; kun det, I begge er enige om, \
             bliver skrevet ned. Samtalen slutter med én til tre aftaler: hvad du gør, hvad \
             lederen gør, hvordan I kan se, at det virker, og hvornår I følger op.",
            "A MUS is a talk about your work and your development. It is not a pay talk, \
             not a disciplinary talk and not an appraisal of you, and it is not the place to \
             settle conflicts or criticise colleagues. You both prepare, and you set aside \
             1½–2 hours. What you talk about stays between you; only what you both agree on \
             is written down. The talk ends with one to three agreements: what you do, what \
             the manager does, how you will know it works, and when you follow up.",
        ),
        sections: vec![
            section(
                "Siden sidst",
                "Since last time",
                vec![
                    q(Both, "Hvordan er det gået med aftalerne fra sidste gang?", "How did the agreements from last time go?"),
                    q(Both, "Hvad er gået godt siden sidst, og hvad har været svært?", "What has gone well since last time, and what has been hard?"),
                ],
            ),
            section(
                "Jobbet nu",
                "The job now",
                vec![
                    q(Employee, "Hvad giver mening i din kerneopgave, og hvad tager tid fra den?", "What gives meaning in your core task, and what takes time away from it?"),
                    q(Employee, "Hvordan får du brugt det, du er god til?", "How do you get to use what you are good at?"),
                    q(Employee, "Hvordan er din arbejdsmængde, og hvor meget indflydelse har du på, hvordan du løser dine opgaver?", "How is your workload, and how much say do you have in how you do your tasks?"),
                    q(Both, "Er der regler eller rutiner, der står i vejen for godt arbejde?", "Are there rules or routines that get in the way of good work?"),
                ],
            ),
            section(
                "Samarbejde og trivsel",
                "Cooperation and well-being",
                vec![
                    q(Employee, "Hvordan er samarbejdet med dine kolleger og med andre, du arbejder sammen med?", "How is the cooperation with your colleagues and the others you work with?"),
                    q(Employee, "Hvad får dig til at trives på arbejdet, og hvad kunne gøre det bedre?", "What makes you thrive at work, and what could make it better?"),
                ],
            ),
            section(
                "Ledelse begge veje",
                "Leadership both ways",
                vec![
                    q(Employee, "Hvad skal din leder gøre mere af, og hvad mindre af?", "What should your manager do more of, and what less of?"),
                    q(Employee, "Hvilken støtte har du brug for fra din leder?", "What support do you need from your manager?"),
                    q(Manager, "Hvad har du set medarbejderen lykkes med i årets løb?", "What have you seen the employee succeed with this year?"),
                    q(Manager, "Hvad kan du gøre anderledes som leder for at støtte medarbejderen?", "What could you do differently as a manager to support the employee?"),
                ],
            ),
            section(
                "Fremad",
                "Looking ahead",
                vec![
                    q(Both, "Hvilke opgaver venter det næste år?", "What tasks lie ahead in the coming year?"),
                    q(Employee, "Hvad vil du gerne lære eller blive bedre til, og hvordan?", "What would you like to learn or get better at, and how?"),
                    q(Employee, "Hvilke ønsker har du til dit arbejde fremover?", "What do you wish for in your work from here on?"),
                    q(Manager, "Hvilke forandringer kommer der, som berører medarbejderens arbejde?", "What changes are coming that affect the employee's work?"),
                ],
            ),
            section(
                "Aftaler",
                "Agreements",
                vec![q(
                    Both,
                    "Hvilke ét til tre mål vil du foreslå? For hvert: hvad gør medarbejderen, hvad gør lederen, hvordan kan I se, at det virker, og hvornår følger I op?",
                    "Which one to three goals would you suggest? For each: what the employee does, what the manager does, how you will know it works, and when you follow up?",
                )],
            ),
        ],
    }
}

fn grus() -> Template {
    use Side::*;
    Template {
        kind: DialogueKind::Grus,
        name: Text::new("GRUS", "GRUS (group development talk)"),
        guide: Text::new(
            "GRUS er en samtale med hele personalegruppen om jeres fælles arbejde og \
             udvikling; 4–6 personer er typisk. Brug de første 10–15 minutter på rammen og \
             spillereglerne: ingen kritik af enkeltpersoner, personlige forhold hører til en \
             MUS, og det, der bliver sagt, bliver i rummet. Tag højst 4–5 spørgsmål på 1½–2 \
             timer. Lederen styrer processen. Samtalen slutter med gruppens aftaler, hver med \
             en ansvarlig, og med lederens egne tilsagn. En GRUS erstatter aldrig den \
             enkeltes ret til en individuel MUS.",
            "A GRUS is a talk with the whole personnel group about your shared work and \
             development; 4–6 people is typical. Spend the first 10–15 minutes on the frame \
             and the ground rules: no criticism of individuals, personal matters belong in a \
             MUS, and what is said stays in the room. Take at most 4–5 questions in 1½–2 \
             hours. The manager runs the process. The talk ends with the group's agreements, \
             each with someone responsible, and with the manager's own commitments. A GRUS \
             never replaces a person's right to an individual MUS.",
        ),
        sections: vec![
            section(
                "Kerneopgaven",
                "The core task",
                vec![q(Members, "Hvad er jeres kerneopgave, og hvad lykkes I med i dag?", "What is your core task, and what do you succeed with today?")],
            ),
            section(
                "Samarbejde",
                "Cooperation",
                vec![q(Members, "Hvordan samarbejder I i gruppen og med andre teams, og hvad kunne gøre det lettere?", "How do you work together in the group and with other teams, and what could make it easier?")],
            ),
            section(
                "Hverdagen",
                "Daily work",
                vec![q(Members, "Hvilke regler eller rutiner står i vejen for jeres arbejde?", "Which rules or routines get in the way of your work?")],
            ),
            section(
                "Fremtiden",
                "The future",
                vec![q(Members, "Hvilke opgaver kommer, og hvad skal gruppen kunne for at løse dem?", "What tasks are coming, and what must the group be able to do to handle them?")],
            ),
            section(
                "Aftaler",
                "Agreements",
                vec![q(Members, "Hvilke aftaler vil I foreslå, hvem tager ansvaret, og hvad skal lederen gøre?", "Which agreements would you suggest, who takes responsibility, and what should the manager do?")],
            ),
        ],
    }
}

fn follow_up() -> Template {
    use Side::*;
    Template {
        kind: DialogueKind::FollowUp,
        name: Text::new("Opfølgning", "Follow-up"),
        guide: Text::new(
            "En opfølgning tager cirka 30 minutter. I gennemgår hver åben aftale fra den \
             seneste MUS eller GRUS: hvordan det går, om lederen har gjort sin del, og om \
             aftalen skal justeres, droppes eller have følgeskab af en ny. Slut med at aftale, \
             hvornår I ses igen.",
            "A follow-up takes about 30 minutes. You go through each open agreement from the \
             last MUS or GRUS: how it is going, whether the manager has done their part, and \
             whether the agreement should be adjusted, dropped or joined by a new one. End by \
             agreeing when you meet next.",
        ),
        sections: vec![
            section(
                "Aftalerne",
                "The agreements",
                vec![
                    q(
                        Both,
                        "Hvordan går det med hver af de åbne aftaler?",
                        "How is each of the open agreements going?",
                    ),
                    q(
                        Employee,
                        "Har din leder gjort det, I aftalte?",
                        "Has your manager done what you agreed?",
                    ),
                ],
            ),
            section(
                "Siden sidst",
                "Since last time",
                vec![q(
                    Both,
                    "Hvad har ændret sig siden sidst?",
                    "What has changed since last time?",
                )],
            ),
            section(
                "Videre",
                "Next",
                vec![q(
                    Both,
                    "Skal en aftale justeres eller droppes, eller skal der en ny til?",
                    "Should an agreement be adjusted or dropped, or is a new one needed?",
                )],
            ),
        ],
    }
}

fn wellbeing() -> Template {
    use Side::*;
    Template {
        kind: DialogueKind::Wellbeing,
        name: Text::new("Trivselssamtale", "Well-being talk"),
        guide: Text::new(
            "En trivselssamtale handler om, hvordan du har det med dit arbejde. Lederen \
             fortæller i invitationen, hvad formålet er. Det er frivilligt, hvad du fortæller, \
             og I aftaler sammen, hvad der bliver skrevet ned. Skriv ikke \
             helbredsoplysninger – sygdom, diagnoser eller behandling – i noter, punkter eller \
             aftaler: de er følsomme personoplysninger og hører ikke til her.",
            "A well-being talk is about how you are doing with your work. The manager says \
             what the purpose is in the invitation. What you share is up to you, and you agree \
             together on what is written down. Do not write health details – illness, \
             diagnoses or treatment – in notes, points or agreements: they are sensitive \
             personal data and do not belong here.",
        ),
        sections: vec![
            section(
                "Formål og ramme",
                "Purpose and frame",
                vec![q(
                    Manager,
                    "Hvad er formålet med samtalen, og hvad bliver skrevet ned?",
                    "What is the purpose of the talk, and what will be written down?",
                )],
            ),
            section(
                "Arbejdet",
                "The work",
                vec![
                    q(
                        Employee,
                        "Hvordan er din arbejdsmængde lige nu?",
                        "How is your workload right now?",
                    ),
                    q(
                        Employee,
                        "Er det klart, hvad der forventes af dig?",
                        "Is it clear what is expected of you?",
                    ),
                    q(
                        Employee,
                        "Hvor meget indflydelse har du på dit arbejde?",
                        "How much say do you have in your work?",
                    ),
                ],
            ),
            section(
                "Relationer",
                "Relations",
                vec![q(
                    Employee,
                    "Hvordan har du det med dine kolleger og med din leder?",
                    "How are things with your colleagues and your manager?",
                )],
            ),
            section(
                "Det næste skridt",
                "The next step",
                vec![
                    q(Employee, "Hvad ville hjælpe dig?", "What would help you?"),
                    q(
                        Manager,
                        "Hvad kan du som leder gøre?",
                        "What can you do as a manager?",
                    ),
                    q(
                        Both,
                        "Hvad er det næste skridt, og hvornår taler I sammen igen?",
                        "What is the next step, and when do you talk again?",
                    ),
                ],
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_builtin_in_both_languages_within_bounds() {
        for &kind in DialogueKind::ALL {
            let t = builtin(kind);
            assert_eq!(t.kind, kind);
            assert_eq!(
                t.checked().unwrap(),
                t,
                "{kind:?} is already trimmed and valid"
            );
            assert!(!t.name.da.is_empty() && !t.name.en.is_empty());
            assert_eq!(t.guide.da.is_empty(), t.guide.en.is_empty());
            for s in &t.sections {
                assert!(!s.title.da.is_empty() && !s.title.en.is_empty());
                for q in &s.questions {
                    assert!(!q.text.da.is_empty() && !q.text.en.is_empty());
                }
            }
        }
        assert!(builtin(DialogueKind::AdHoc).sections.is_empty());
        let grus = builtin(DialogueKind::Grus);
        let questions: usize = grus.sections.iter().map(|s| s.questions.len()).sum();
        assert!(questions <= 5, "a GRUS takes at most 4–5 questions");
        assert!(
            grus.guide.da.contains("MUS") && grus.guide.en.contains("right to an individual MUS")
        );
        let mus = builtin(DialogueKind::Mus);
        assert!(mus.guide.da.contains("ikke en lønsamtale"));
        assert!(mus.guide.en.contains("not a pay talk"));
        assert!(builtin(DialogueKind::Wellbeing)
            .guide
            .da
            .contains("helbredsoplysninger"));
    }
}
