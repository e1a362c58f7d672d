"""The observations app's window onto the scheduling app: lessons, busy times, free slots.

Everything the observations app needs from timetables goes through here, so the rest of the
app does not depend on how the scheduling app stores them.
"""
