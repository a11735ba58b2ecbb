"""User-visible strings of the front end (English msgids; translations in locales/).

Strings the assistant's actions already have (yes/no, delete confirmation...) are reused from common.strings.assistant."""
from common.i18n import _

PRIVACY_NOTICE = _(
    "Welcome to Brobygger! I help you find your way in health care and social services in Denmark and Germany, "
    "in your language.\n\n"
    "Privacy: to answer you, I store what you write, your language and your country. Your Telegram name and "
    "number are never stored or shown to anyone; we use a code instead. Data is deleted after %(days)s days, or "
    "at once with /delete. More: /privacy\n\n"
    "Do you agree that I store your messages to answer you?"
)
PRIVACY_DETAILS = _(
    "What I store: your messages to me, your language, your country, and a code instead of your Telegram "
    "account. Why: to answer you and, if you ask, to connect you with a peer mentor. How long: %(days)s days, "
    "then it is deleted automatically. You can see it with /mydata and delete it at any time with /delete. "
    "Nobody sees your Telegram account."
)
CONSENT_YES = _("I agree")
CONSENT_NO = _("No")
CONSENT_GIVEN = _("Thank you. Which language do you want me to use?")
CONSENT_REFUSED = _(
    "OK, I will not store anything. Without storing your messages I cannot answer your questions. "
    "In an emergency call 112. If you change your mind, send /start."
)
CONSENT_NEEDED = _("Before I can answer, please tell me if you agree that I store your messages.")
CHOOSE_COUNTRY = _("Which country do you live in?")
READY = _("Thank you! Ask me anything about health care, for example: \"I need a doctor\". Or choose a topic:")
HELP = _(
    "Write your question in your own language, for example \"I need a doctor\" or \"I need an interpreter\".\n"
    "/menu – topics\n/language – change language\n/country – change country\n/mentor – talk to a person\n"
    "/privacy – what I store\n/delete – delete my data\n"
    "In an emergency call 112."
)
MENU = _("Choose a topic:")
UNSUPPORTED_VOICE = _(
    "I cannot listen to voice messages. Please write your question, or send /mentor to talk to a person."
)
UNSUPPORTED_MEDIA = _(
    "I can only read text messages. Please write your question in words, or send /mentor to talk to a person."
)
UNSUPPORTED_STICKER = _("Thank you! Please write your question in words, and I will try to help.")
EMPTY_TEXT = _("I only see symbols. Please write your question in words, and I will try to help.")
FLOOD = _(
    "You are sending many messages very quickly. I will answer, but please wait a moment between messages. "
    "In an emergency call 112."
)
TOO_LONG = _("Your message is very long. I read the first part. For longer questions, a peer mentor can help: /mentor")
EDITED = _("I saw that you changed a message. I answer new messages, so please send your question again.")
LOCATION_COUNTRY = _("Thank you. I will answer for %(country_name)s.")
LOCATION_UNKNOWN = _("Thank you. I could not tell the country from this location. Which country do you live in?")
RASA_DOWN = _(
    "Sorry, I am having technical trouble right now. Your message is kept and I will answer as soon as I can.\n"
    "In an emergency call 112."
)
TRY_AGAIN = _("Sorry, I am having technical trouble right now. Please send it again in a minute. In an emergency call 112.")
DELETE_DONE = _("Done: I have deleted your messages and everything I stored about you. Send /start to begin again.")
MY_DATA = _(
    "What I store about you:\n• language: %(language)s\n• country: %(country)s\n• consent given: %(consent)s\n"
    "• messages stored: %(count)s\nDelete everything with /delete."
)
MY_DATA_SITUATION = _("• area: %(region)s\n• residence situation: %(residence)s (change it with /profile)")
RATE_LIMITED = _("You are sending messages very fast. Please wait a moment; I will answer your messages in order.")
UNKNOWN_BUTTON = _("This button is no longer active. Please send /menu.")
NOT_SET = _("not set")

COMMANDS = {
    "start": _("Start and privacy"),
    "menu": _("Topics"),
    "language": _("Change language"),
    "country": _("Change country"),
    "mentor": _("Talk to a person"),
    "end": _("End the chat with a mentor"),
    "help": _("Help"),
    "privacy": _("What is stored about me"),
    "mydata": _("Show my data"),
    "profile": _("My situation (residence, area)"),
    "remind": _("Reminder for an appointment"),
    "reminders": _("My appointment reminders"),
    "delete": _("Delete my data"),
}
