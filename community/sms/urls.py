"""The provider webhook and the owner's mobile-number page (mounted at the site root)."""

from django.urls import path

from community.sms import views

app_name = "sms"

urlpatterns = [
    path("sms/inbound/", views.inbound, name="inbound"),
    path("accounts/phone/", views.phone, name="phone"),
    path("accounts/phone/verify/", views.phone_verify, name="phone_verify"),
    path("accounts/phone/preferences/", views.phone_preferences, name="phone_preferences"),
    path("accounts/phone/remove/", views.phone_remove, name="phone_remove"),
]
