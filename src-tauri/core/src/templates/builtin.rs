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
            guide: Text::new(
                "En ad hoc-samtale holder I, når der er brug for at tale sammen – der er ingen \
                 faste spørgsmål. Skriv de punkter, I vil tale om, på dagsordenen. Slut med en aftale, \
                 hvis der er brug for en, og aftal, hvem der gør hvad.",
                "An ad hoc talk is for when you need to talk – there are no set questions. Put \
                 the points you want to talk about on the agenda. End with an agreement if one \
                 is needed, and agree on who does what.",
            ),
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
            "MUS er jeres årlige samtale om dit arbejde, din trivsel og din udvikling – og om, \
             hvordan I kan hjælpe hinanden. Den er ikke en lønsamtale, ikke en tjenstlig samtale \
             og ikke en bedømmelse af dig. Den er heller ikke stedet at løse konflikter eller \
             kritisere kolleger. Forbered jer begge, og sæt 1½–2 timer af et sted, hvor I ikke \
             bliver forstyrret. Det, I taler om, bliver mellem jer: Lederen fortæller kun noget \
             videre, som I begge er enige om. Skriv først og fremmest jeres aftaler ned – \
             ikke et referat af samtalen. Slut med én til tre aftaler: hvad du gør, hvad lederen \
             gør, hvordan I kan se, at I er nået i mål, og hvornår I følger op – gerne om cirka \
             et halvt år.",
            "A MUS is your yearly talk about your work, your well-being and your development – \
             and about how you can help each other. It is not a pay talk, not a disciplinary \
             talk and not an appraisal of you. Nor is it the place to settle conflicts or \
             criticise colleagues. You both prepare, and you set aside 1½–2 hours somewhere you \
             will not be disturbed. What you talk about stays between you: the manager passes \
             on only what you both agree to. Write down mainly your agreements – not \
             minutes of the talk. End with one to three agreements: what you do, what the \
             manager does, how you will know you have got there, and when you follow up – \
             ideally in about six months.",
        ),
        sections: vec![
            section(
                "Siden sidst",
                "Since last time",
                vec![
                    q(Both, "Hvordan er det gået med de aftaler, I lavede sidste gang?", "How did the agreements you made last time go?"),
                    q(Both, "Hvad er gået godt i det forløbne år, og hvad har været svært?", "What has gone well in the past year, and what has been hard?"),
                ],
            ),
            section(
                "Dit arbejde nu",
                "Your work now",
                vec![
                    q(Employee, "Hvad i dit arbejde giver mest mening for dig, og hvad tager tid fra det vigtigste?", "What in your work makes most sense to you, and what takes time away from what matters most?"),
                    q(Employee, "Hvornår får du brugt det, du er god til – og hvornår ikke?", "When do you get to use what you are good at – and when not?"),
                    q(Employee, "Hvordan passer din arbejdsmængde, og hvor meget indflydelse har du på, hvordan du tilrettelægger dit arbejde?", "How does your workload fit, and how much say do you have in how you organise your work?"),
                    q(Both, "Er der regler, rutiner eller dokumentation, der står i vejen for godt arbejde – og kan noget af det droppes?", "Are there rules, routines or paperwork that get in the way of good work – and could some of it be dropped?"),
                ],
            ),
            section(
                "Samarbejde og trivsel",
                "Cooperation and well-being",
                vec![
                    q(Employee, "Hvordan går samarbejdet med dine kolleger og med de andre, du arbejder sammen med – for eksempel borgere, pårørende eller andre afdelinger?", "How is the cooperation with your colleagues and the others you work with – for example citizens, relatives or other departments?"),
                    q(Employee, "Hvad giver dig arbejdsglæde, og hvad kunne gøre din hverdag bedre?", "What gives you joy in your work, and what could make your days better?"),
                ],
            ),
            section(
                "Jeres samarbejde",
                "Working together",
                vec![
                    q(Employee, "Hvad skal din leder blive ved med, gøre mere af eller gøre mindre af?", "What should your manager keep doing, do more of or do less of?"),
                    q(Employee, "Hvilken støtte har du brug for fra din leder i det kommende år?", "What support do you need from your manager in the coming year?"),
                    q(Manager, "Hvad har du set medarbejderen lykkes med det seneste år – og hvad vil du gerne sige tak for?", "What have you seen the employee succeed with this past year – and what would you like to say thank you for?"),
                    q(Manager, "Hvad kan du som leder gøre mere af eller anderledes for at støtte medarbejderen?", "What could you as a manager do more of or differently to support the employee?"),
                ],
            ),
            section(
                "Det kommende år",
                "The coming year",
                vec![
                    q(Employee, "Hvilke opgaver vil du gerne have mere eller mindre af fremover?", "Which tasks would you like more or less of from here on?"),
                    q(Employee, "Hvad vil du gerne lære eller blive bedre til – og hvordan kunne det ske? For eksempel nye opgaver, sidemandsoplæring eller et kursus.", "What would you like to learn or get better at – and how could that happen? For example new tasks, learning from a colleague or a course."),
                    q(Manager, "Hvilke opgaver, mål og forandringer kommer der, som berører medarbejderens arbejde?", "What tasks, goals and changes are coming that affect the employee's work?"),
                ],
            ),
            section(
                "Aftaler",
                "Agreements",
                vec![q(
                    Both,
                    "Hvilke én til tre aftaler vil du foreslå? For hver aftale: Hvad gør medarbejderen, hvad gør lederen, hvordan kan I se, at I er nået i mål, og hvornår følger I op?",
                    "Which one to three agreements would you suggest? For each: what does the employee do, what does the manager do, how will you know you have got there, and when do you follow up?",
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
            "GRUS er en samtale med personalegruppen om jeres fælles opgaver, samarbejde og \
             udvikling. Den fungerer bedst med 4–6 deltagere; er I flere, så tal i mindre grupper \
             undervejs. Sæt 1½–2 timer af, og tag højst 4–5 spørgsmål. Lederen styrer processen \
             og bruger de første 10–15 minutter på formålet og spillereglerne: I taler om \
             opgaverne og samarbejdet, ikke om enkeltpersoner. Personlige forhold hører til i den enkeltes MUS. Det, der bliver sagt, bliver i \
             rummet – kun aftalerne bliver skrevet ned. Alle kan bede om en pause. Samtalen \
             slutter med gruppens aftaler, hver med en ansvarlig og en dato for opfølgning, og \
             med det, lederen selv påtager sig. En GRUS erstatter aldrig den individuelle MUS: \
             Alle har stadig ret til deres egen MUS.",
            "A GRUS is a talk with the staff group about your shared tasks, cooperation and \
             development. It works best with 4–6 people; if you are more, talk in smaller groups \
             along the way. Set aside 1½–2 hours, and take at most 4–5 questions. The manager \
             runs the process and spends the first 10–15 minutes on the purpose and the ground \
             rules: you talk about the tasks and the cooperation, not about individuals. \
             Personal matters belong in each person's MUS. What is said \
             stays in the room – only the agreements are written down. Anyone can ask for a break. The talk ends with the group's agreements, each with someone responsible \
             and a date to follow up, and with what the manager takes on. A GRUS never replaces \
             the individual MUS: everyone keeps the right to an individual MUS of their own.",
        ),
        sections: vec![
            section(
                "Kerneopgaven",
                "The core task",
                vec![q(Members, "Hvad er jeres kerneopgave, og hvad lykkes I godt med i dag?", "What is your core task, and what do you succeed with today?")],
            ),
            section(
                "Samarbejde",
                "Cooperation",
                vec![q(Members, "Hvordan fungerer samarbejdet i gruppen og med andre, og hvad kunne gøre det lettere?", "How does cooperation work in the group and with others, and what could make it easier?")],
            ),
            section(
                "Hverdagen",
                "Daily work",
                vec![q(Members, "Hvad i jeres hverdag – regler, rutiner eller dokumentation – tager tid fra kerneopgaven, og hvad kunne gøres enklere?", "What in your daily work – rules, routines or paperwork – takes time from the core task, and what could be made simpler?")],
            ),
            section(
                "Det kommende år",
                "The coming year",
                vec![q(Members, "Hvilke opgaver og forandringer kommer der, og hvad skal gruppen kunne for at løse dem?", "What tasks and changes are coming, and what must the group be able to do to handle them?")],
            ),
            section(
                "Aftaler",
                "Agreements",
                vec![q(Members, "Hvilke to-tre aftaler vil I foreslå – hvem har ansvaret, hvad skal lederen gøre, og hvornår følger I op?", "Which two or three agreements would you suggest – who is responsible, what should the manager do, and when do you follow up?")],
            ),
        ],
    }
}

fn follow_up() -> Template {
    use Side::*;
    Template {
        kind: DialogueKind::FollowUp,
        name: Text::new("Opfølgningssamtale", "Follow-up talk"),
        guide: Text::new(
            "En opfølgningssamtale er kort – cirka 30 minutter – og kan sagtens ligge i et \
             almindeligt møde mellem jer. Mange holder den cirka et halvt år efter MUS. I går de \
             åbne aftaler fra den seneste MUS eller GRUS igennem: Hvordan går det, har lederen \
             gjort sin del, og skal aftalen justeres, afsluttes eller droppes? Aftal til sidst, \
             hvornår I taler sammen igen.",
            "A follow-up talk is short – about 30 minutes – and can easily be part of an \
             ordinary meeting between you. Many hold it about six months after the MUS. You go \
             through the open agreements from the last MUS or GRUS: how is it going, has the \
             manager done their part, and should the agreement be adjusted, closed or dropped? \
             End by agreeing when you talk again.",
        ),
        sections: vec![
            section(
                "Aftalerne",
                "The agreements",
                vec![
                    q(
                        Both,
                        "Hvordan går det med hver af de åbne aftaler – hvad er lykkedes, og hvad driller?",
                        "How is each of the open agreements going – what has worked, and what is proving tricky?",
                    ),
                    q(
                        Employee,
                        "Har du fået den støtte fra din leder, som I aftalte?",
                        "Have you had the support from your manager that you agreed on?",
                    ),
                    q(
                        Manager,
                        "Har du gjort det, du påtog dig som leder – og hvad mangler?",
                        "Have you done what you took on as a manager – and what is still missing?",
                    ),
                ],
            ),
            section(
                "Siden sidst",
                "Since last time",
                vec![q(
                    Both,
                    "Hvad har ændret sig i arbejdet siden sidst?",
                    "What has changed in the work since last time?",
                )],
            ),
            section(
                "Videre",
                "Next",
                vec![q(
                    Both,
                    "Skal en aftale justeres, afsluttes eller droppes – eller er der brug for en ny?",
                    "Should an agreement be adjusted, closed or dropped – or is a new one needed?",
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
            "En trivselssamtale handler om, hvordan du har det med dit arbejde – ikke om dit \
             helbred eller dit privatliv. Lederen skriver i invitationen, hvorfor I skal tale \
             sammen, så du ikke bliver overrasket. Du bestemmer selv, hvad du vil fortælle. I \
             aftaler sammen, hvad der bliver skrevet ned; ofte er det kun det næste skridt. Skriv \
             aldrig helbredsoplysninger – sygdom, diagnoser, medicin eller behandling – i noter, \
             punkter eller aftaler, heller ikke i private noter. Det er følsomme \
             personoplysninger, og de hører ikke hjemme her. Handler samtalen om sygefravær, så \
             følg arbejdspladsens egne retningslinjer for det.",
            "A well-being talk is about how you are doing with your work – not about your \
             health or your private life. The manager says in the invitation why you are to \
             talk, so you are not taken by surprise. You decide what you want to share. You \
             agree together on what is written down; often it is only the next step. Never \
             write health details – illness, diagnoses, medication or treatment – in notes, \
             points or agreements, not even in private notes. They are sensitive personal data \
             and do not belong here. If the talk is about sickness absence, follow your \
             workplace's own guidelines for that.",
        ),
        sections: vec![
            section(
                "Formål og ramme",
                "Purpose and frame",
                vec![q(
                    Manager,
                    "Hvad er formålet med samtalen – og hvad foreslår du, at I skriver ned, og hvad ikke?",
                    "What is the purpose of the talk – and what do you suggest you write down, and what not?",
                )],
            ),
            section(
                "Arbejdet",
                "The work",
                vec![
                    q(
                        Employee,
                        "Hvordan passer din arbejdsmængde lige nu?",
                        "How does your workload fit right now?",
                    ),
                    q(
                        Employee,
                        "Er det tydeligt, hvad der forventes af dig – og hvad du kan lade ligge?",
                        "Is it clear what is expected of you – and what you can leave aside?",
                    ),
                    q(
                        Employee,
                        "Hvor meget indflydelse har du på, hvordan og hvornår du løser dine opgaver?",
                        "How much say do you have in how and when you do your tasks?",
                    ),
                ],
            ),
            section(
                "Kolleger og ledelse",
                "Colleagues and management",
                vec![
                    q(
                        Employee,
                        "Hvordan har du det med dine kolleger og med din leder?",
                        "How are things with your colleagues and your manager?",
                    ),
                    q(
                        Employee,
                        "Hvem kan du gå til, når noget er svært?",
                        "Who can you go to when something is hard?",
                    ),
                ],
            ),
            section(
                "Det næste skridt",
                "The next step",
                vec![
                    q(
                        Employee,
                        "Hvad ville gøre den største forskel for dig lige nu?",
                        "What would make the biggest difference for you right now?",
                    ),
                    q(
                        Manager,
                        "Hvad kan du som leder gøre for at hjælpe – og hvad kan du ikke love?",
                        "What can you as a manager do to help – and what can you not promise?",
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
