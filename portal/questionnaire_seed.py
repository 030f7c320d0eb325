"""Seed of the evaluation questionnaire (after the IOP form): worker and employer wordings.

Scale items are statements to agree with: 1 is "not at all", 5 is "fully", so 5 is always the
positive end. Employer texts use ``{name}`` for the worker's first name (replaced at render time).
"""

from __future__ import annotations

from typing import NamedTuple


class OptionSeed(NamedTuple):
    code: str
    worker_nl: str
    worker_en: str
    employer_nl: str
    employer_en: str


class QuestionSeed(NamedTuple):
    key: str  # stable code, snake_case, unique over the whole questionnaire
    kind: str  # "scale" (1-5), "text" (open), "choices" (tick any), "yes_no"
    worker_nl: str
    worker_en: str
    employer_nl: str
    employer_en: str
    required: bool = True
    signal: str = "none"  # "energy" for energy/health questions, "talk" for the talk question
    options: tuple[OptionSeed, ...] = ()  # only for kind "choices"


class SectionSeed(NamedTuple):
    key: str
    worker_title_nl: str
    worker_title_en: str
    employer_title_nl: str
    employer_title_en: str
    worker_intro_nl: str
    worker_intro_en: str
    employer_intro_nl: str
    employer_intro_en: str
    questions: tuple[QuestionSeed, ...]


QUESTIONNAIRE: tuple[SectionSeed, ...] = (
    SectionSeed(
        key="work",
        worker_title_nl="Hoe gaat het met je werk?",
        worker_title_en="How is your work going?",
        employer_title_nl="Het werk",
        employer_title_en="The work",
        worker_intro_nl="Deze vragen gaan over je taken. Kies wat het best bij jou past.",
        worker_intro_en="These questions are about your tasks. Choose what fits you best.",
        employer_intro_nl=(
            "Deze stellingen gaan over de uitvoering van het werk. "
            "Geef aan in hoeverre u het ermee eens bent."
        ),
        employer_intro_en=(
            "These statements are about how the work is done. Indicate to what extent you agree."
        ),
        questions=(
            QuestionSeed(
                key="work_tasks",
                kind="scale",
                worker_nl="Ik kan mijn taken goed doen.",
                worker_en="I can do my tasks well.",
                employer_nl="{name} voert de taken goed uit.",
                employer_en="{name} carries out the tasks well.",
            ),
            QuestionSeed(
                key="work_pace",
                kind="scale",
                worker_nl="Ik kan het tempo van het werk bijhouden.",
                worker_en="I can keep up with the pace of the work.",
                employer_nl="Het werktempo van {name} past bij wat de functie vraagt.",
                employer_en="The work pace of {name} matches what the job requires.",
            ),
            QuestionSeed(
                key="work_quality",
                kind="scale",
                worker_nl="Ik werk netjes en maak weinig fouten.",
                worker_en="I work carefully and make few mistakes.",
                employer_nl="De kwaliteit van het werk van {name} voldoet aan de eisen.",
                employer_en="The quality of the work of {name} meets the requirements.",
            ),
        ),
    ),
    SectionSeed(
        key="hours_energy",
        worker_title_nl="Je werkuren en je energie",
        worker_title_en="Your working hours and your energy",
        employer_title_nl="Werktijden en energie",
        employer_title_en="Working hours and energy",
        worker_intro_nl="Deze vragen gaan over je werkuren. En over hoeveel energie je hebt.",
        worker_intro_en="These questions are about your working hours. And about your energy.",
        employer_intro_nl=(
            "Deze stellingen gaan over de arbeidsduur en de energie van de medewerker. "
            "Het gaat om wat u op het werk waarneemt."
        ),
        employer_intro_en=(
            "These statements are about the working hours and energy of your employee. "
            "Answer based on what you notice at work."
        ),
        questions=(
            QuestionSeed(
                key="hours_fit",
                kind="scale",
                worker_nl="Het aantal uren dat ik werk, past goed bij mij.",
                worker_en="The number of hours I work suits me well.",
                employer_nl="Het aantal uren dat {name} werkt, past bij wat {name} aankan.",
                employer_en="The number of hours {name} works matches what {name} can handle.",
            ),
            QuestionSeed(
                key="energy",
                kind="scale",
                worker_nl="Ik heb genoeg energie tijdens mijn werk.",
                worker_en="I have enough energy while I work.",
                employer_nl="{name} heeft de hele werkdag voldoende energie.",
                employer_en="{name} has enough energy throughout the working day.",
                signal="energy",
            ),
            QuestionSeed(
                key="rest",
                kind="scale",
                worker_nl="Ik ben uitgerust als ik aan mijn werkdag begin.",
                worker_en="I feel rested when I start my working day.",
                employer_nl="{name} komt uitgerust op het werk.",
                employer_en="{name} comes to work well rested.",
                signal="energy",
            ),
        ),
    ),
    SectionSeed(
        key="guidance",
        worker_title_nl="Uitleg en hulp bij je werk",
        worker_title_en="Explanations and help with your work",
        employer_title_nl="Begeleiding en instructie",
        employer_title_en="Guidance and instruction",
        worker_intro_nl="Deze vragen gaan over de uitleg en de hulp die je krijgt.",
        worker_intro_en="These questions are about the explanations and the help you get.",
        employer_intro_nl=(
            "Deze stellingen gaan over de werkinstructies en de begeleiding "
            "die de medewerker krijgt."
        ),
        employer_intro_en=(
            "These statements are about the work instructions and the guidance "
            "your employee receives."
        ),
        questions=(
            QuestionSeed(
                key="instruction_clear",
                kind="scale",
                worker_nl="Ik krijg duidelijke uitleg over mijn werk.",
                worker_en="I get clear explanations about my work.",
                employer_nl="De werkinstructies zijn duidelijk voor {name}.",
                employer_en="The work instructions are clear to {name}.",
            ),
            QuestionSeed(
                key="guidance_enough",
                kind="scale",
                worker_nl="Ik krijg genoeg hulp als ik iets niet weet.",
                worker_en="I get enough help when I do not know something.",
                employer_nl="{name} krijgt voldoende begeleiding op het werk.",
                employer_en="{name} receives enough guidance at work.",
            ),
        ),
    ),
    SectionSeed(
        key="contact",
        worker_title_nl="Je collega’s en je leidinggevende",
        worker_title_en="Your colleagues and your manager",
        employer_title_nl="Contact met collega’s en leidinggevende",
        employer_title_en="Contact with colleagues and the supervisor",
        worker_intro_nl="Deze vragen gaan over de mensen met wie je werkt.",
        worker_intro_en="These questions are about the people you work with.",
        employer_intro_nl=(
            "Deze stellingen gaan over het contact van de medewerker "
            "met de collega’s en de leidinggevende."
        ),
        employer_intro_en=(
            "These statements are about the contact between your employee, "
            "the colleagues and the supervisor."
        ),
        questions=(
            QuestionSeed(
                key="colleagues",
                kind="scale",
                worker_nl="Ik kan goed opschieten met mijn collega’s.",
                worker_en="I get on well with my colleagues.",
                employer_nl="{name} heeft goed contact met de collega’s.",
                employer_en="{name} gets on well with colleagues.",
            ),
            QuestionSeed(
                key="supervisor_contact",
                kind="scale",
                worker_nl="Ik heb goed contact met mijn leidinggevende.",
                worker_en="I get on well with my manager.",
                employer_nl="Het contact tussen {name} en de leidinggevende verloopt goed.",
                employer_en="The contact between {name} and the supervisor is good.",
            ),
        ),
    ),
    SectionSeed(
        key="workplace",
        worker_title_nl="Je werkplek",
        worker_title_en="Your workplace",
        employer_title_nl="Werkplek en aanpassingen",
        employer_title_en="Workplace and adjustments",
        worker_intro_nl=(
            "Deze vragen gaan over de plek waar je werkt. "
            "Heb je geen hulpmiddelen nodig? Sla de vraag over hulpmiddelen dan over."
        ),
        worker_intro_en=(
            "These questions are about the place where you work. "
            "If you do not need any aids, skip the question about aids."
        ),
        employer_intro_nl=(
            "Deze stellingen gaan over de werkplek en eventuele aanpassingen of voorzieningen. "
            "Zijn er geen aanpassingen nodig? Dan kunt u de stelling over aanpassingen overslaan."
        ),
        employer_intro_en=(
            "These statements are about the workplace and any adjustments or aids. "
            "If no adjustments are needed, you can skip the statement about adjustments."
        ),
        questions=(
            QuestionSeed(
                key="workplace_fits",
                kind="scale",
                worker_nl="Ik kan goed werken op mijn werkplek.",
                worker_en="I can work well at my workplace.",
                employer_nl="De werkplek is geschikt voor {name}.",
                employer_en="The workplace is suitable for {name}.",
            ),
            QuestionSeed(
                key="adaptations",
                kind="scale",
                worker_nl="Ik heb de hulpmiddelen en aanpassingen die ik nodig heb.",
                worker_en="I have the aids and changes that I need.",
                employer_nl=(
                    "De aanpassingen en voorzieningen die {name} nodig heeft, zijn aanwezig."
                ),
                employer_en="The adjustments and aids that {name} needs are in place.",
                required=False,
            ),
        ),
    ),
    SectionSeed(
        key="travel",
        worker_title_nl="Naar je werk reizen",
        worker_title_en="Getting to work",
        employer_title_nl="Woon-werkverkeer",
        employer_title_en="Travel to work",
        worker_intro_nl="Deze vraag gaat over de reis naar je werk.",
        worker_intro_en="This question is about your trip to work.",
        employer_intro_nl="Deze stelling gaat over de reis van de medewerker naar het werk.",
        employer_intro_en="This statement is about your employee’s journey to work.",
        questions=(
            QuestionSeed(
                key="travel",
                kind="scale",
                worker_nl="De reis naar mijn werk gaat goed.",
                worker_en="My trip to work goes well.",
                employer_nl="{name} komt zonder problemen op het werk aan.",
                employer_en="{name} gets to work without problems.",
                required=False,
            ),
        ),
    ),
    SectionSeed(
        key="going_well",
        worker_title_nl="Wat gaat goed?",
        worker_title_en="What is going well?",
        employer_title_nl="Wat gaat goed",
        employer_title_en="What is going well",
        worker_intro_nl="Vertel wat goed gaat op je werk.",
        worker_intro_en="Tell us what goes well at work.",
        employer_intro_nl="Geef een algemeen oordeel en beschrijf wat goed gaat.",
        employer_intro_en="Give an overall assessment and describe what is going well.",
        questions=(
            QuestionSeed(
                key="overall",
                kind="scale",
                worker_nl="Alles bij elkaar gaat het goed op mijn werk.",
                worker_en="All in all, my work is going well.",
                employer_nl="Alles overziend functioneert {name} goed in de functie.",
                employer_en="All in all, {name} is doing well in the job.",
            ),
            QuestionSeed(
                key="going_well",
                kind="text",
                worker_nl="Wat gaat er goed op je werk?",
                worker_en="What is going well at work?",
                employer_nl="Wat gaat er goed in het werk van {name}?",
                employer_en="What is going well in the work of {name}?",
                required=False,
            ),
        ),
    ),
    SectionSeed(
        key="attention",
        worker_title_nl="Wat kan beter?",
        worker_title_en="What could be better?",
        employer_title_nl="Aandachtspunten",
        employer_title_en="Points for attention",
        worker_intro_nl="Vind je iets moeilijk op je werk? Schrijf het hier op.",
        worker_intro_en="Is something hard at work? Write it down here.",
        employer_intro_nl="Beschrijf wat aandacht nodig heeft of beter kan.",
        employer_intro_en="Describe what needs attention or could be improved.",
        questions=(
            QuestionSeed(
                key="attention",
                kind="text",
                worker_nl="Wat vind je moeilijk op je werk?",
                worker_en="What do you find hard at work?",
                employer_nl="Wat vraagt aandacht in het werk van {name}?",
                employer_en="What needs attention in the work of {name}?",
                required=False,
            ),
        ),
    ),
    SectionSeed(
        key="wishes",
        worker_title_nl="Wat wil je de komende tijd?",
        worker_title_en="What would you like next?",
        employer_title_nl="Wensen voor de komende periode",
        employer_title_en="Wishes for the next period",
        worker_intro_nl="Je mag meer dan één antwoord kiezen.",
        worker_intro_en="You can choose more than one answer.",
        employer_intro_nl=(
            "Geef aan wat u wenst voor de komende periode. U kunt meerdere antwoorden kiezen."
        ),
        employer_intro_en=(
            "Indicate what you would like for the next period. You can choose more than one answer."
        ),
        questions=(
            QuestionSeed(
                key="wishes",
                kind="choices",
                worker_nl="Wat wil je graag?",
                worker_en="What would you like?",
                employer_nl="Wat wenst u voor {name} in de komende periode?",
                employer_en="What would you like for {name} in the next period?",
                required=False,
                options=(
                    OptionSeed(
                        "more_hours",
                        "Meer uren werken",
                        "Work more hours",
                        "Meer arbeidsuren",
                        "More working hours",
                    ),
                    OptionSeed(
                        "fewer_hours",
                        "Minder uren werken",
                        "Work fewer hours",
                        "Minder arbeidsuren",
                        "Fewer working hours",
                    ),
                    OptionSeed(
                        "other_tasks",
                        "Andere taken doen",
                        "Do other tasks",
                        "Andere of nieuwe taken",
                        "Different or new tasks",
                    ),
                    OptionSeed(
                        "training",
                        "Een cursus of training doen",
                        "Take a course or training",
                        "Scholing of training",
                        "Education or training",
                    ),
                    OptionSeed(
                        "more_guidance",
                        "Meer hulp bij mijn werk",
                        "More help with my work",
                        "Meer begeleiding",
                        "More guidance",
                    ),
                    OptionSeed(
                        "keep_as_is",
                        "Alles blijft zoals het nu is",
                        "Keep everything as it is now",
                        "Geen veranderingen: alles blijft zoals het is",
                        "No changes: everything stays as it is",
                    ),
                ),
            ),
            QuestionSeed(
                key="wishes_comment",
                kind="text",
                worker_nl="Wil je nog iets vertellen over je wensen?",
                worker_en="Do you want to say more about your wishes?",
                employer_nl="Wilt u uw wensen voor {name} toelichten?",
                employer_en="Would you like to explain your wishes for {name}?",
                required=False,
            ),
        ),
    ),
    SectionSeed(
        key="talk",
        worker_title_nl="Praten met je contactpersoon",
        worker_title_en="Talking to your contact person",
        employer_title_nl="Gesprek met uw contactpersoon",
        employer_title_en="Talk with your contact person",
        worker_intro_nl=(
            "Je contactpersoon helpt jou en je werkgever. Je mag altijd om een gesprek vragen."
        ),
        worker_intro_en=(
            "Your contact person helps you and your employer. You can always ask for a talk."
        ),
        employer_intro_nl="Geef aan of u een gesprek met uw contactpersoon wilt.",
        employer_intro_en="Indicate whether you would like a talk with your contact person.",
        questions=(
            QuestionSeed(
                key="talk",
                kind="yes_no",
                worker_nl="Wil je praten met je contactpersoon?",
                worker_en="Do you want to talk to your contact person?",
                employer_nl="Wilt u dat uw contactpersoon contact met u opneemt over {name}?",
                employer_en="Would you like your contact person to get in touch about {name}?",
                signal="talk",
            ),
            QuestionSeed(
                key="talk_about",
                kind="text",
                worker_nl="Waarover wil je praten?",
                worker_en="What do you want to talk about?",
                employer_nl="Waarover wilt u met uw contactpersoon spreken?",
                employer_en="What would you like to discuss with your contact person?",
                required=False,
            ),
        ),
    ),
)
