"""Taking part by text message: phone numbers, verification, STOP, the gateway, the webhook.

A Django app inside ``community`` (label ``sms``). It knows nothing of ideas: commands such
as "<challenge code> <idea>" and "YES <idea number>" are registered by other apps through
:mod:`community.sms.commands`.
"""
