"""User-visible strings of the hand-off to a peer mentor (English msgids; translations in locales/).

People read them in their language; mentors in the language their Telegram app uses (English when the program
has no catalog for it). Placeholders are named so translators can reorder them."""
from common.i18n import _

# --- to the person ------------------------------------------------------------------------------------------
SEARCHING = _(
    "I am looking for a peer mentor who speaks %(language)s. I will tell you as soon as one joins. "
    "You can already write here what you need: the mentor will read it."
)
SEARCHING_URGENT = _(
    "I have alerted the peer mentors and supervisors on duty now. Please stay in this chat. "
    "If you are in danger, call 112."
)
ALREADY_WAITING = _("You are already waiting for a peer mentor. What you write here is kept for them. To cancel, send /end.")
KEPT_FOR_MENTOR = _("Thank you, I have kept this for the peer mentor.")
WHILE_WAITING = _("(The peer mentor will also see this message when they join. To cancel your request, send /end.)")
NO_MENTOR_NOW = _(
    "I am sorry: no peer mentor is free right now. Mentors are usually available: %(hours)s. "
    "The next time mentors are on duty: %(opening)s.\n\n"
    "Write your message here: the next mentor on duty will receive it. Nothing you write is lost.\n\n"
    "%(numbers)s"
)
ALWAYS_OPEN = _("at any time, when one is on duty")
SOON = _("as soon as one comes on duty")
NUMBERS_DK = _(
    "If it cannot wait: emergency %(emergency)s; Livslinien %(lifeline)s (not around the clock); doctor on "
    "call at night and at weekends: the out-of-hours line of your region (lægevagten)."
)
NUMBERS_DK_REGION = _(
    "If it cannot wait: emergency %(emergency)s; Livslinien %(lifeline)s (not around the clock); doctor on "
    "call at night and at weekends: %(region_name)s %(out_of_hours)s."
)
NUMBERS_DE = _(
    "If it cannot wait: emergency %(emergency)s; doctor on call %(on_call_doctor)s; "
    "TelefonSeelsorge %(crisis_line_1)s or %(crisis_line_2)s (day and night)."
)
NUMBERS_ANY = _(
    "If it cannot wait: emergency %(emergency)s. Crisis lines, day and night: Denmark Livslinien %(dk_lifeline)s; "
    "Germany TelefonSeelsorge %(de_crisis_line_1)s."
)
MENTOR_JOINED = _(
    "%(name)s, a peer mentor, has joined the chat. What you write here now goes to %(name)s, not to the "
    "assistant. %(name)s does not see your Telegram account. Send /end to finish the chat."
)
FROM_MENTOR = _("%(name)s (peer mentor): %(text)s")
HANDED_OVER = _("Your peer mentor has passed your chat to a colleague. I will tell you when they join.")
CHAT_ENDED = _("The chat with the peer mentor has ended. You are talking to the assistant again.")
REQUEST_CANCELLED = _("Your request for a peer mentor is cancelled. You are talking to the assistant again.")
RATE = _("How helpful was the chat with the peer mentor? 1 = not helpful, 5 = very helpful.")
RATED = _("Thank you for your rating.")
IN_MENTOR_CHAT = _("You are in a chat with a peer mentor. Send /end to go back to the assistant.")
NOT_RELAYED = _("I could not pass this on to the peer mentor. Please write it as text.")
MENTOR_CHANGED = _(
    "Your chat now continues with %(name)s, another peer mentor. What you write here goes to %(name)s. "
    "Send /end to finish the chat."
)

# --- to the mentor -------------------------------------------------------------------------------------------
M_WELCOME = _(
    "Welcome, %(name)s. You are registered as a %(role)s for: %(languages)s.\n"
    "You are off duty now. Commands:\n"
    "/duty – go on or off duty\n/queue – waiting requests\n/cases – your open chats\n"
    "/end – end the current chat\n/handover – pass the current chat to a colleague\n"
    "/note TEXT – a private case note\n/flag – ask a supervisor to look at the current chat"
)
M_ROLE_MENTOR = _("peer mentor")
M_ROLE_SUPERVISOR = _("supervisor")
M_INVITE_INVALID = _("This invitation link is not valid, was already used or has expired. Ask the program staff for a new one.")
M_DUTY_ON = _("You are on duty for: %(languages)s (at most %(cap)s chats at a time).")
M_DUTY_OFF = _("You are off duty. Your open chats stay open.")
M_REQUEST = _("New request #%(case)s%(urgent)s\nLanguage: %(language)s · Country: %(country)s\n%(summary)s")
M_URGENT = _(" – URGENT (crisis)")
M_RISK_THOUGHTS = _(" – risk: thoughts of suicide")
M_CLAIM = _("Take this chat")
M_HELPED_BEFORE = _("You helped this person before (request #%(case)s): they may be glad to talk to you again.")
M_TAKEN = _("Request #%(case)s was taken by %(name)s.")
M_TAKEN_BY_YOU = _("You took request #%(case)s.")
M_CLAIMED = _(
    "You are connected to #%(case)s (%(person)s). What you write here goes to them through the bot; they do "
    "not see your Telegram account, you do not see theirs. /end to finish."
)
M_LEFT_WHILE_WAITING = _("#%(case)s wrote while waiting:")
M_ALREADY_TAKEN = _("Request #%(case)s was already taken or closed.")
M_NOT_ALLOWED = _("Only peer mentors registered for this language can take this request.")
M_AT_CAPACITY = _("You already have %(cap)s open chats. End one before taking another.")
M_NO_CASE = _("You have no open chat. Waiting requests: /queue")
M_FROM_PERSON = _("#%(case)s: %(text)s")
M_MEDIA_FROM_PERSON = _("#%(case)s sent this:")
M_PERSON_ENDED = _("%(person)s ended chat #%(case)s.")
M_ENDED = _("Chat #%(case)s is closed. Thank you.")
M_QUEUE = _("Waiting requests:")
M_QUEUE_EMPTY = _("Nobody is waiting.")
M_CASES = _("Your open chats (tap one to write to it):")
M_SWITCHED = _("You are now writing to #%(case)s.")
M_NOTE_SAVED = _("Note saved on #%(case)s. Only mentors on this case and supervisors can read it.")
M_NOTE_EMPTY = _("Write the note after the command, for example: /note needs an interpreter on Monday")
M_NOTES = _("Case #%(case)s, notes:")
M_FLAGGED = _("#%(case)s is flagged for supervision. The supervisors on duty have been told.")
M_FLAG_NOTICE = _("%(name)s asks for supervision on #%(case)s. /case %(case)s shows its summary and notes.")
M_FLAG_ANSWER = _("%(name)s (supervisor) answered your request for supervision on #%(case)s:\n%(text)s")
M_REASSIGNED_AWAY = _("A supervisor has passed chat #%(case)s to %(name)s. Its messages no longer come to you.")
M_REASSIGNED_TO_YOU = _("A supervisor has passed chat #%(case)s (%(person)s) to you. Its summary follows.")
M_HANDED_OVER = _("You passed #%(case)s to a colleague. It is back in the queue.")
M_DEACTIVATED = _(
    "The programme staff have ended your access as a peer mentor. Your open chats (%(count)s) went back to the "
    "queue, and the people were told that a colleague will take over. Thank you for your work. If you think this "
    "is a mistake, please contact the programme staff."
)
M_CASE_HIDDEN = _("Only the mentor on a case and supervisors can read it.")
M_HELP = _(
    "/duty – go on or off duty\n/queue – waiting requests\n/cases – your open chats\n"
    "/end – end the current chat\n/handover – pass the current chat to a colleague\n"
    "/note TEXT – a private case note\n/flag – ask a supervisor to look at the current chat\n"
    "/case NUMBER – summary and notes of a case (supervisors and the mentor on the case)\n"
    "/languages – the languages you take requests in"
)
M_LANGUAGES = _("You take requests in: %(languages)s. To change them send /languages with the codes, e.g. /languages %(example)s (codes: %(codes)s).")
M_SUMMARY_REASON = _("Reason: %(reason)s")
M_REASON_CRISIS = _("crisis (the emergency and crisis numbers were given first)")
M_REASON_THOUGHTS = _("thoughts of suicide, no danger right now stated (the crisis numbers were given first)")
M_REASON_NOT_SAFE = _("said they are not safe after thoughts of suicide (the crisis numbers were given first)")
M_REASON_DISTRESS = _("emotional distress")
M_REASON_REQUEST = _("asked for a peer mentor")
M_REASON_NOT_UNDERSTOOD = _("the assistant did not understand")
M_SUMMARY_TOPICS = _("Asked about: %(topics)s")
M_SUMMARY_LAST = _("Last messages:")

# --- no chat left unanswered (bot.handoff.unanswered) ----------------------------------------------------------
RELEASED = _(
    "I am sorry: your peer mentor has not been able to answer you for a while. I have put your request back in "
    "the queue, in the same place, so that the next free mentor can take it. Your messages are kept for them.\n\n"
    "%(numbers)s"
)
M_REPLY_REMINDER = _(
    "#%(case)s has been waiting %(minutes)s minutes for your reply. A short word helps, even \"I am looking into "
    "it\". If you cannot go on with this chat, /handover passes it to a colleague."
)
M_RELEASED = _(
    "#%(case)s went back to the queue because the person waited %(minutes)s minutes for a reply. That is not a "
    "reproach: it happens, and now a colleague can answer. The person was told kindly and keeps their place."
)
M_RELEASED_NOTICE = _(
    "#%(case)s went back to the queue: %(name)s did not reply for %(minutes)s minutes (mentor hours). The person "
    "keeps their place. /case %(case)s shows its summary and notes."
)

# --- care for mentors: debrief (bot.handoff.debrief) -------------------------------------------------------------
M_DEBRIEF_OFFER = _(
    "#%(case)s was an urgent chat. Conversations like this can stay with you. Would you like to talk it through "
    "with a supervisor?"
)
M_DEBRIEF_BUTTON = _("Ask for a debrief with a supervisor")
M_DEBRIEF_ASKED = _("Thank you for asking. A supervisor has been told and will contact you about #%(case)s.")
M_DEBRIEF_NOBODY = _("There is no supervisor registered yet. Please contact the programme staff directly.")
M_DEBRIEF_NOTICE = _("%(name)s asks for a debrief after the urgent chat #%(case)s. Please contact them.")

# --- care for mentors: hours and cases (bot.handoff.workload) -----------------------------------------------------
M_ME = _(
    "This week (since Monday): %(hours)s hours on duty, %(cases)s chats taken.\n"
    "The programme's weekly limit is %(limit)s hours. Open chats now: %(open)s."
)
M_TEAM = _("Mentors this week (hours on duty, chats taken):")
M_TEAM_OVER = _("over the limit")
M_OVER_LIMIT = _(
    "You have been on duty %(hours)s hours this week, more than the programme's %(limit)s hours. Thank you for "
    "everything you give. Please take care of yourself too: rest is part of the work, and your colleagues and "
    "supervisors are there. Going off duty: /duty off"
)
M_OVER_LIMIT_NOTICE = _("%(name)s has been on duty %(hours)s hours this week (limit %(limit)s hours).")

# --- care for mentors: the boundaries guide (bot.handoff.guide) ----------------------------------------------------
M_GUIDE_INTRO = _("Before your first duty, please read the programme's guide and accept it.")
M_GUIDE_ACCEPT = _("I have read and accept")
M_GUIDE_ACCEPTED = _("Thank you for accepting the guide.")
M_GUIDE_CHANGED = _("The guide has changed since you opened it. Please read the new version.")
GUIDE = _(
    "Boundaries guide for peer mentors\n\n"
    "1. Your privacy. Everything goes through the bot. Never give your own phone number, Telegram account, "
    "address or social media, and do not ask for the person's.\n\n"
    "2. No money, no private meetings. Do not give or lend money, take gifts, buy or sell anything, or meet "
    "people privately. If someone needs practical help, point them to the services and the bot's answers.\n\n"
    "3. What you do and do not do. You listen, explain and help people find their way. You do not give medical, "
    "legal or immigration advice, and you do not promise what you cannot keep.\n\n"
    "4. When to call a supervisor. Use /flag when someone talks about harming themselves or others, violence, "
    "abuse or exploitation, when a child may be at risk, or whenever you feel unsure.\n\n"
    "5. In a crisis. If life is in danger, tell the person to call 112 at once. Stay in the chat, stay calm, "
    "give the crisis numbers the bot gave them, and flag the chat for a supervisor.\n\n"
    "6. Confidentiality. What people tell you stays between you, the programme's supervisors and the case notes. "
    "Never share it with anyone else or outside the bot, not even without names. The only exception is danger to "
    "life: then a supervisor decides what to do.\n\n"
    "7. Take care of yourself. Go off duty when you need to and keep to the programme's weekly hours. After a "
    "hard chat, ask for a debrief: it is a strength, not a weakness."
)

# --- saved replies and knowledge-base answers (bot.handoff.saved_replies) -----------------------------------------
M_SAVED_LIST = _("Saved replies: %(names)s\nSend one to the current chat with /r NAME.")
M_SAVED_NONE = _("There are no saved replies yet. Staff add them in the admin.")
M_SAVED_UNKNOWN = _("There is no saved reply called \"%(name)s\". Saved replies: %(names)s")
M_SAVED_PREVIEW = _("This is what #%(case)s will receive (in %(language)s). In your language it says:")
M_SAVED_ENGLISH = _("There is no %(language)s version of \"%(name)s\": the person will receive the English text.")
M_SEND = _("Send")
M_CANCEL = _("Cancel")
M_SENT = _("Sent to #%(case)s.")
M_NOT_SENT = _("Not sent.")
M_KB_EMPTY = _("Write what to look for after the command, for example: /kb interpreter at the doctor")
M_KB_LOADING = _("The knowledge base is being loaded. Please try again in a minute.")
M_KB_NONE = _("I found no knowledge-base answer for that. Try other words.")
M_HELP_CARE = _(
    "/me – your hours and chats this week\n/r – saved replies; /r NAME sends one to the current chat\n"
    "/kb WORDS – find a knowledge-base answer to send"
)
M_HELP_SUPERVISOR = _("/team – every mentor's hours and chats this week")
