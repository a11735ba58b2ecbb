"""User-visible strings of the assistant (English msgids of the gettext catalogs).

Translate them in locales/<lang>/LC_MESSAGES/messages.po, never here. Keep the named placeholders
(%(emergency)s ...) intact: numbers are filled in from content/countries.yml.
"""
from common.i18n import _

SOURCE = _("Source: %(name)s – %(url)s")

GREET = _(
    "Hello! I am Brobygger, a chat assistant. I help you find your way in health care and social services "
    "in Denmark and Germany: doctor, emergencies, interpreter, medicine, dentist, pregnancy, letters from "
    "the authorities. Write your question in your own language. If you want to talk to a person, write "
    "\"mentor\"."
)
ASK_COUNTRY = _("Which country do you live in?")
COUNTRY_SET = _("OK, I will answer for %(country_name)s. What would you like to know?")
COUNTRY_NAME_DK = _("Denmark")
COUNTRY_NAME_DE = _("Germany")
GOODBYE = _("Goodbye, take care! You can write to me any time. In an emergency call 112.")
THANK = _("You are welcome! Is there anything else I can help you with?")
BOT_CHALLENGE = _(
    "I am a computer program (a chatbot), not a person. I can give you information and, if you want, "
    "put you in touch with a peer mentor – a real person who speaks your language."
)
OUT_OF_SCOPE = _(
    "Sorry, I can only help with health care and social services in Denmark and Germany – for example "
    "finding a doctor, emergencies, an interpreter, medicine or letters from the authorities."
)
FALLBACK_FIRST = _(
    "Sorry, I did not understand that. Could you say it in other words? For example: \"I need a doctor\" "
    "or \"I need an interpreter\"."
)
FALLBACK_SECOND = _(
    "I am sorry, I still do not understand. Would you like to talk to a peer mentor, a person who speaks "
    "your language?"
)
ACKNOWLEDGE = _("OK. What else can I help you with?")
CHOOSE_LANGUAGE = _("Which language would you like me to use?")
LANGUAGE_SET = _("OK, I will write in English from now on.")
EMERGENCY_ANY = _(
    "Call %(emergency)s now if a life is in danger (chest pain, cannot breathe, unconscious, heavy "
    "bleeding). %(emergency)s is free and works in Denmark and Germany. Say where you are and what happened."
)
CRISIS_DK = _(
    "I am very sorry you are going through this. You are not alone.\n"
    "• If you are in danger right now, call %(emergency)s.\n"
    "• Talk to someone now, anonymously: Livslinien %(lifeline)s (not open around the clock: see the opening hours on livslinien.dk).\n"
    "• Evenings, nights and weekends the out-of-hours line of your region (lægevagten), in the daytime your own "
    "doctor, can send you to psychiatric emergency care (psykiatrisk akutmodtagelse).\n"
    "• Violence at home: Lev Uden Vold %(violence_line)s."
)
CRISIS_DK_REGION = _(
    "I am very sorry you are going through this. You are not alone.\n"
    "• If you are in danger right now, call %(emergency)s.\n"
    "• Talk to someone now, anonymously: Livslinien %(lifeline)s (not open around the clock: see the opening hours on livslinien.dk).\n"
    "• Evenings, nights and weekends the out-of-hours line of %(region_name)s, %(out_of_hours)s, in the daytime "
    "your own doctor, can send you to psychiatric emergency care (psykiatrisk akutmodtagelse).\n"
    "• Violence at home: Lev Uden Vold %(violence_line)s."
)
CRISIS_DE = _(
    "I am very sorry you are going through this. You are not alone.\n"
    "• If you are in danger right now, call %(emergency)s (police: %(police)s).\n"
    "• Talk to someone now, free and anonymous, day and night: TelefonSeelsorge %(crisis_line_1)s, "
    "%(crisis_line_2)s or %(crisis_line_3)s.\n"
    "• Violence against women: Hilfetelefon %(violence_line)s."
)
CRISIS_ANY = _(
    "I am very sorry you are going through this. You are not alone.\n"
    "• If you are in danger right now, call %(emergency)s (Denmark and Germany).\n"
    "• Denmark: Livslinien %(dk_lifeline)s.\n"
    "• Germany: TelefonSeelsorge %(de_crisis_line_1)s or %(de_crisis_line_2)s."
)
DISTRESS = _(
    "I am sorry you feel this way. Many people who have moved to a new country feel like this, and it "
    "can get better. Would you like to talk to a peer mentor, a person who speaks your language and "
    "knows this situation?"
)
MENTOR_OFFER_DECLINED = _(
    "That is OK. If you change your mind, just write \"mentor\". I am here if you need information."
)
SAFETY_QUESTION = _(
    "I want to ask you directly, because you matter: are you safe right now? If you are thinking of ending your "
    "life, you can tell me here. I will get a person to you."
)
SAFETY_SAFE = _("I am safe right now")
SAFETY_NOT_SAFE = _("I am not safe")
SAFETY_SAFE_REPLY = _(
    "Thank you for telling me. You do not have to carry this alone. Would you like to talk to a peer mentor now, "
    "a person who speaks your language?"
)
SAFETY_NOT_SAFE_REPLY = _(
    "Thank you for telling me. I am getting a person for you now. If you can, call %(emergency)s now, or go to "
    "someone near you and stay with them."
)
SAFETY_AGAIN = _("Before anything else, please tell me: are you safe right now?")
MENTOR_REQUEST = _(
    "I am noting that you want to talk to a peer mentor who speaks your language. Peer mentors are "
    "reached through this chat in Telegram; if none is available, I will tell you honestly. If you are "
    "in danger, call 112."
)
DELETE_CONFIRM = _(
    "Do you want me to delete everything you wrote to me and what I stored about you? This cannot be undone."
)
DELETE_DONE = _("Your request is noted: your data will be deleted. We will start again from the beginning.")
DELETE_CANCELLED = _("OK, nothing was deleted.")
YES = _("Yes")
NO = _("No")

TOPIC_TITLES = {
    "find_gp": _("Find a family doctor"),
    "book_gp_appointment": _("Doctor's appointment"),
    "out_of_hours": _("Doctor at night / weekend"),
    "emergency": _("Emergency"),
    "referral_specialist": _("Referral / specialist"),
    "mental_health_services": _("Psychological help"),
    "interpreter": _("Interpreter"),
    "health_card": _("Health card"),
    "prescription_pharmacy": _("Medicine / pharmacy"),
    "dental_care": _("Dentist"),
    "pregnancy_child_health": _("Pregnancy and children"),
    "social_services": _("Municipality / letters / benefits"),
    "costs": _("Costs"),
}
TALK_TO_MENTOR = _("Talk to a peer mentor")
PLACES_IN = _("Places in %(city)s:")
PLACES_SPEAKS = _("speaks %(languages)s")
PLACES_ASK_CITY = _("I can also list places near you: write your question with your town, for example \"%(example)s\".")

# --- situated answers (actions.knowledge) ---
SOURCE_CHECKED = _("Source: %(name)s – %(url)s (checked %(date)s)")
ASK_REGION = _(
    "The number depends on where in Denmark you live. Which area is it? (You can also just write your town.)"
)
REGION_SET = _("OK, I will answer for %(region_name)s.")
ASK_RESIDENCE = _(
    "This can be different for your residence situation. Does one of these fit you? Then I can tell you exactly. "
    "You do not have to say; you can change it any time with /profile."
)
RESIDENCE_DK_ASYLUM = _("I am seeking asylum")
RESIDENCE_DK_RESIDENT = _("Residence permit with a yellow card")
RESIDENCE_DK_UKRAINE = _("From Ukraine (special act)")
RESIDENCE_DE_ASYLBLG = _("Sozialamt / AsylbLG (Behandlungsschein)")
RESIDENCE_DE_INSURED = _("Health card from a Krankenkasse")
RESIDENCE_DE_UKRAINE = _("From Ukraine")
RESIDENCE_SKIP = _("Skip")
RESIDENCE_BUTTONS = {
    "DK": {"asylum": RESIDENCE_DK_ASYLUM, "resident": RESIDENCE_DK_RESIDENT, "ukraine": RESIDENCE_DK_UKRAINE},
    "DE": {"asylblg": RESIDENCE_DE_ASYLBLG, "insured": RESIDENCE_DE_INSURED, "ukraine": RESIDENCE_DE_UKRAINE},
}
RESIDENCE_SAVED = _("Thank you, I will remember this for my answers. /profile changes it, /delete erases it.")
RESIDENCE_SKIPPED = _("OK, I will not ask again. You can tell me any time with /profile.")
WHICH_QUESTION = _("Did you mean one of these?")
NONE_OF_THESE = _("Something else")
ASK_REPHRASE_SPECIFIC = _("OK. Please tell me your question in other words, and I will try again.")
TOWN_SWITCH = _(
    "You wrote %(town)s, which is in %(country_name)s, so I answered for %(country_name)s. Shall I answer for "
    "%(country_name)s from now on?"
)
TOWN_SWITCH_KEPT = _("OK, from now on I answer for %(country_name)s.")
TOWN_SWITCH_REVERTED = _("OK, I will keep answering for %(country_name)s.")
PROFILE_INTRO = _(
    "Your answers can fit your situation better. Nothing here is required. Which fits you? (\"Skip\" keeps it "
    "unset.)"
)
PROFILE_NEEDS_COUNTRY = _("First, which country do you live in?")
PROFILE_REGION = _("And where in Denmark do you live? (This picks the right out-of-hours number for you.)")
