from django.urls import path

from community.exchange import views

app_name = "exchange"

urlpatterns = [
    path("", views.post_list, name="list"),
    path("map/", views.post_map, name="map"),
    path("new/", views.post_create, name="post_create"),
    path("assist/", views.assist_request, name="assist_request"),
    path("safety/", views.safety, name="safety"),
    path("stats/", views.stats, name="stats"),
    path("<int:pk>/", views.post_detail, name="post"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/close/", views.post_close, name="post_close"),
    path("conversations/", views.mine, name="mine"),
    path("conversations/<int:pk>/", views.conversation, name="conversation"),
    path("conversations/<int:pk>/propose/", views.propose, name="propose"),
    path("conversations/<int:pk>/accept/", views.accept, name="accept"),
    path("conversations/<int:pk>/done/", views.confirm_done, name="confirm_done"),
    path("conversations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("conversations/<int:pk>/thanks/", views.thanks, name="thanks"),
    path("conversations/<int:pk>/contact/", views.share_contact, name="share_contact"),
    path("people/<slug:slug>/block/", views.block, name="block"),
    path("blocked/", views.blocks, name="blocks"),
    path("blocked/<int:pk>/unblock/", views.unblock, name="unblock"),
    path("credits/", views.credits, name="credits"),
    path("credits/<int:pk>/", views.credits, name="account"),
    path("credits/adjust/", views.adjust, name="adjust"),
]
