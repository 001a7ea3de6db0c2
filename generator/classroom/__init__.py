"""``modgen classroom``: a live quiz and discussion session run from the trainer's laptop.

One lesson's questions, discussion prompts and case studies become the steps of a session
(``session``: the model, in memory only); a Starlette app serves the trainer's projector view and
the participants' phone view and pushes every change over WebSockets (``app``); ``serve`` runs it
on uvicorn until Ctrl+C. Nothing leaves the laptop: no cloud service, no file written unless the
trainer asks for the aggregate results.
"""

from __future__ import annotations

from generator.i18n import Catalog

text = Catalog("classroom", {
    # the participant's join page
    "join_title": {"nl": "Meedoen", "en": "Join the session"},
    "join_intro": {"nl": "Vul de code in die de trainer laat zien. Je hebt geen account nodig.",
                   "en": "Enter the code the trainer shows. You do not need an account."},
    "code": {"nl": "Sessiecode", "en": "Session code"},
    "code_hint": {"nl": "{n} cijfers", "en": "{n} digits"},
    "nickname": {"nl": "Bijnaam (niet verplicht)", "en": "Nickname (optional)"},
    "nickname_hint": {"nl": "Alleen zichtbaar in de lijst van deelnemers, nooit bij je antwoorden.",
                      "en": "Shown only in the list of participants, never with your answers."},
    "join": {"nl": "Meedoen", "en": "Join"},
    "wrong_code": {"nl": "Die code klopt niet. Kijk nog eens op het scherm van de trainer.",
                   "en": "That code is not right. Check the trainer's screen again."},
    "too_many_tries": {"nl": "Te veel pogingen. Wacht een minuut en probeer het opnieuw.",
                       "en": "Too many attempts. Wait a minute and try again."},
    "session_full": {"nl": "Deze sessie is vol.", "en": "This session is full."},
    "too_many_joins": {"nl": "Vanaf dit netwerkadres doen al te veel deelnemers mee.",
                       "en": "Too many participants have joined from this network address."},
    "privacy": {
        "nl": "Je antwoorden blijven op de laptop van de trainer, alleen zolang de sessie loopt. "
              "Niemand ziet wat jij hebt geantwoord: de trainer ziet alleen hoeveel mensen elk antwoord gaven.",
        "en": "Your answers stay on the trainer's laptop, only while the session runs. Nobody sees what "
              "you answered: the trainer sees only how many people gave each answer.",
    },
    # the participant's session page
    "you_are": {"nl": "Je doet mee als {name}.", "en": "You have joined as {name}."},
    "you_are_anonymous": {"nl": "Je doet mee zonder naam.", "en": "You have joined without a name."},
    "waiting": {"nl": "Je doet mee. Wacht op de eerste vraag.", "en": "You are in. Wait for the first question."},
    "send": {"nl": "Antwoord versturen", "en": "Send answer"},
    "choose_one": {"nl": "Kies één antwoord.", "en": "Choose one answer."},
    "choose_several": {"nl": "Kies alle juiste antwoorden.", "en": "Choose every correct answer."},
    "your_answer": {"nl": "Jouw antwoord", "en": "Your answer"},
    "answer_received": {"nl": "Je antwoord is ontvangen. Wacht tot de trainer het antwoord laat zien.",
                        "en": "Your answer has been received. Wait for the trainer to show the answer."},
    "no_answer_given": {"nl": "Je hebt deze vraag niet beantwoord.", "en": "You did not answer this question."},
    "right": {"nl": "Goed", "en": "Right"},
    "not_right": {"nl": "Niet helemaal", "en": "Not quite"},
    "correct_answer": {"nl": "Het juiste antwoord", "en": "The correct answer"},
    "correct": {"nl": "juist", "en": "correct"},
    "explanation": {"nl": "Uitleg", "en": "Explanation"},
    "feedback": {"nl": "Over jouw antwoord", "en": "About your answer"},
    "together": {"nl": "Deze vraag beantwoord je samen met de groep; het antwoord komt op het scherm.",
                 "en": "Answer this question together with the group; the answer appears on the screen."},
    "discuss": {"nl": "Bespreek dit met de groep.", "en": "Discuss this with the group."},
    "opt_out": {"nl": "Je mag een gesprek altijd overslaan.", "en": "You may always sit out a discussion."},
    "the_end": {"nl": "De sessie is afgelopen. Bedankt voor het meedoen.",
                "en": "The session has ended. Thank you for taking part."},
    "new_step": {"nl": "Nieuw op het scherm: {title}", "en": "New on the screen: {title}"},
    "offline": {"nl": "Geen verbinding met de trainer; opnieuw verbinden…",
                "en": "No connection to the trainer; reconnecting…"},
    "online": {"nl": "Verbonden.", "en": "Connected."},
    # why an answer was refused
    "refused_duplicate": {"nl": "Je hebt deze vraag al beantwoord.", "en": "You have already answered this question."},
    "refused_late": {"nl": "Deze vraag is gesloten.", "en": "This question is closed."},
    "refused_invalid": {"nl": "Dat antwoord kan niet: kies uit de antwoorden bij de vraag.",
                        "en": "That answer is not possible: choose from the question's answers."},
    "refused_malformed": {"nl": "Dat bericht begrijpt de server niet.", "en": "The server does not understand that message."},
    "refused_too_large": {"nl": "Dat bericht is te groot.", "en": "That message is too large."},
    "refused_too_fast": {"nl": "Rustig aan: te veel berichten achter elkaar.", "en": "Slow down: too many messages at once."},
    "refused_too_slow": {"nl": "Het formulier kwam te langzaam binnen. Probeer het opnieuw.",
                         "en": "The form arrived too slowly. Please try again."},
    # why a phone's channel ended, and what it does about it
    "ended": {"nl": "De trainer heeft de sessie beëindigd.", "en": "The trainer has ended the session."},
    "gave_up": {"nl": "Geen verbinding met de laptop van de trainer. Laad de pagina opnieuw om het nog eens te proberen.",
                "en": "No connection to the trainer's laptop. Reload the page to try again."},
    "other_tab": {"nl": "Deze sessie is in een ander tabblad geopend.", "en": "This session is open in another tab."},
    "channel_down": {"nl": "Geen verbinding met de sessie: draait modgen classroom nog? Opnieuw verbinden…",
                     "en": "No connection to the session: is modgen classroom still running? Reconnecting…"},
    "channel_ended": {"nl": "De sessie is gestopt (modgen classroom draait niet meer).",
                      "en": "The session has stopped (modgen classroom is no longer running)."},
    # the trainer's view
    "trainer": {"nl": "Trainer", "en": "Trainer"},
    "join_at": {"nl": "Doe mee op", "en": "Join at"},
    "code_is": {"nl": "Code", "en": "Code"},
    "qr_label": {"nl": "QR-code voor {url}", "en": "QR code for {url}"},
    "joined": {"nl": "{n} deelnemers", "en": "{n} participants"},
    "joined_one": {"nl": "1 deelnemer", "en": "1 participant"},
    "answered": {"nl": "{n} van {total} hebben geantwoord", "en": "{n} of {total} have answered"},
    "previous": {"nl": "Vorige", "en": "Previous"},
    "next": {"nl": "Volgende", "en": "Next"},
    "reveal": {"nl": "Antwoord tonen", "en": "Show answer"},
    "keys": {"nl": "Toetsen (ook van een presentatieklikker): → , Page Down of spatie toont eerst het antwoord "
                   "of de volgende pagina, dan de volgende stap; ← of Page Up terug; B scherm zwart.",
             "en": "Keys (a presenter clicker's too): →, Page Down or space shows the answer or the next page "
                   "first, then the next step; ← or Page Up goes back; B blanks the screen."},
    "step_of": {"nl": "Stap {n} van {total}", "en": "Step {n} of {total}"},
    "question_n": {"nl": "Vraag {n}", "en": "Question {n}"},
    "question_of": {"nl": "Vraag {n} van {total}", "en": "Question {n} of {total}"},
    "page_of": {"nl": "{n}/{total}", "en": "{n}/{total}"},
    "blank": {"nl": "Scherm zwart", "en": "Blank screen"},
    "discussion": {"nl": "Bespreken", "en": "Discussion"},
    "case": {"nl": "Casus: {title}", "en": "Case: {title}"},
    "questions": {"nl": "Vragen", "en": "Questions"},
    "summary": {"nl": "Samenvatting", "en": "Summary"},
    "start": {"nl": "Welkom", "en": "Welcome"},
    "distribution": {"nl": "Antwoorden per optie", "en": "Answers per option"},
    "option": {"nl": "Optie", "en": "Option"},
    "count": {"nl": "Aantal", "en": "Count"},
    "share": {"nl": "Deel", "en": "Share"},
    "percent": {"nl": "{n}%", "en": "{n}%"},
    "answers_total": {"nl": "Antwoorden", "en": "Answers"},
    "right_share": {"nl": "Goed", "en": "Right"},
    "not_asked": {"nl": "samen beantwoord", "en": "answered together"},
    "order": {"nl": "Zet in de juiste volgorde.", "en": "Put in the right order."},
    "match": {"nl": "Koppel elk nummer aan een letter.", "en": "Match each number to a letter."},
    "takeaways": {"nl": "Om te onthouden", "en": "To remember"},
    "support": {"nl": "Steun en melden", "en": "Support and reporting"},
    "forbidden": {"nl": "Geen toegang.", "en": "Forbidden."},
    "not_found": {"nl": "Niet gevonden.", "en": "Not found."},
})
