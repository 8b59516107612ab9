from django.urls import path

from community.outreach import views

app_name = "outreach"

urlpatterns = [
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("outreach/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("outreach/o/<str:token>.gif", views.opened, name="opened"),
    path("outreach/c/<str:signed>/", views.click, name="click"),
]
