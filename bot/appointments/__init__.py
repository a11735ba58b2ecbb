"""Appointments: reminders, preparation and follow-up (issue #17; docs/appointments.md).

A person sets an appointment with `/remind` (buttons: kind, day, hour, minutes; or `/remind` followed by their own
words, read by `parse`), a mentor proposes one for the person on their case (`mentor`), and the person confirms
before anything is scheduled. Each active appointment has its `ReminderSend` steps (the day before, some hours
before, the follow-up after), which the reminder job claims atomically and writes to the outbox in the same
transaction: sent once across bot instances and restarts.

Modules, one concept each: `calendar` (time zones, dates in the person's language), `checklist` (preparation
checklists from content/appointments.yml), `records` (create, confirm, cancel, list), `schedule` (the steps and
the job that sends the due ones), `messages` (the reminder and follow-up messages), `flow` (the person's /remind,
/reminders and buttons), `mentor` (a mentor's /remind), `parse` (a date and time in the person's own words).
"""
