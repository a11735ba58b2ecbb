"""User-visible strings of appointment reminders (bot.appointments): English msgids, translations in locales/.

The preparation checklists themselves are content (content/appointments.yml)."""
from common.i18n import _

# --- kinds of appointment (buttons and the reminder text) ---------------------------------------------------
KINDS = {
    "gp": _("GP (family doctor)"),
    "specialist": _("Specialist doctor"),
    "dentist": _("Dentist"),
    "hospital": _("Hospital"),
    "interpreter": _("Appointment with an interpreter"),
    "jobcenter": _("Jobcenter or municipality"),
    "other": _("Other appointment"),
}

# --- setting a reminder (/remind) -----------------------------------------------------------------------------
ASK_KIND = _("I will remind you of your appointment. What kind of appointment is it?")
ASK_DATE = _("Which day is the appointment?")
LATER = _("Later dates")
ASK_HOUR = _("At what time? First the hour:")
ASK_MINUTE = _("And the minutes:")
REPEAT = _("%(kind)s: %(when)s. Is that right?")
CONFIRM = _("Yes, save it")
CHANGE = _("Change")
SAVED = _(
    "Saved. I will remind you the day before at %(evening)s and %(hours)s hours before, with a short checklist, "
    "and afterwards I will ask how it went. /reminders shows your reminders."
)
IN_PAST = _("This time has already passed. Please choose a time in the future.")
NEED_COUNTRY = _("Which country do you live in? Then I can remind you at the right local time.")
USE_REMIND = _("I can remind you of your appointments: send /remind and choose the day and time.")
NOT_UNDERSTOOD_TIME = _("I could not read the day and time from that. Please choose them with the buttons.")

# --- the list (/reminders) ------------------------------------------------------------------------------------
NONE = _("You have no reminders. Set one with /remind.")
LIST = _("Your reminders (press one to cancel it):")
CANCELLED = _("Cancelled: the reminder for %(when)s. I will not send it.")

# --- the reminders -------------------------------------------------------------------------------------------
REMINDER_DAY_BEFORE = _("Reminder: tomorrow you have an appointment. %(kind)s, %(when)s.")
REMINDER_SOON = _("Reminder: your appointment is soon. %(kind)s, %(when)s.")
PLACE = _("Where: %(place)s")
CHECKLIST = _("Before you go:")
SOURCES = _("Sources: %(sources)s (checked %(date)s)")
GOING = _("I'll go")
CANCEL_OR_MOVE = _("I need to cancel or move it")
NEED_HELP = _("I need help")
GOOD_LUCK = _("Good luck! Afterwards I will ask how it went.")
CANCEL_REMINDER = _("Cancel my reminder")
NEW_TIME = _("Set a new time")

# --- the follow-up ---------------------------------------------------------------------------------------------
FOLLOW_UP = _("How did it go at your appointment? (%(kind)s, %(when)s)")
WENT_FINE = _("It went fine")
DID_NOT_UNDERSTAND = _("I didn't understand everything")
NEXT_APPOINTMENT = _("I got a new appointment or referral")
GLAD = _("I am glad to hear that. Take care!")
NOT_UNDERSTOOD_HELP = _(
    "That happens often. You can call the clinic and ask them to explain it again, and ask for an interpreter. "
    "A peer mentor can also help you with it."
)

# --- a reminder set by a mentor ----------------------------------------------------------------------------------
PROPOSED = _("Your peer mentor %(name)s wants to set a reminder for you: %(when)s, %(place)s. Do you want this reminder?")
YES_REMIND = _("Yes, remind me")
NO_THANKS = _("No, thank you")
DECLINED = _("OK, I have not set this reminder.")

# --- /privacy and /mydata ----------------------------------------------------------------------------------------------------------
PRIVACY = _(
    "If you set appointment reminders: the kind of appointment, its day and time, the place if given, and your "
    "answer to \"How did it go?\". They are deleted %(days)s days after the appointment, or at once with /delete. "
    "/reminders shows them; /mydata too."
)
MY_DATA_APPOINTMENT = _("• appointment: %(when)s, %(kind)s")

# --- to the mentor ------------------------------------------------------------------------------------------------
M_REMIND_USAGE = _(
    "To set a reminder for the person on your case: /remind CASE YYYY-MM-DD HH:MM TEXT, "
    "e.g. /remind 12 2026-12-10 10:30 Dr. Jensen, Vesterbrogade 5. The person confirms it first."
)
M_REMIND_SENT = _("Case #%(case)s: the person is asked to confirm the reminder for %(when)s.")
M_REMIND_CONFIRMED = _("Case #%(case)s: the person confirmed the reminder for %(when)s.")
M_REMIND_DECLINED = _("Case #%(case)s: the person declined the reminder for %(when)s.")
M_REASON_APPOINTMENT = _("help with an appointment")
M_APPOINTMENTS = _("Appointments with reminders:")
