"""Reaching people who asked to hear: campaigns, the weekly digest, reminders, calendars.

The mechanisms live here (``community`` never imports ``ideas`` or ``cms``); what is worth
telling people comes from registries other apps fill in ``AppConfig.ready()``
(:mod:`community.outreach.registry`).
"""
