"""Development-only routes: each view answers 404 unless DEBUG and the console gateway."""

from django.urls import path

from community.sms import dev

app_name = "sms_dev"

urlpatterns = [path("phone/", dev.phone, name="phone")]
