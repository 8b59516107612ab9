from django.urls import path

from ideas import map_views, views

app_name = "ideas"

urlpatterns = [
    path("", views.challenge_list, name="challenge_list"),
    path("challenges/new/", views.challenge_create, name="challenge_create"),
    path("challenges/<int:pk>/", views.board, name="board"),
    path("challenges/<int:pk>/map/", map_views.board_map, name="board_map"),
    path("challenges/<int:pk>/ideas/new/", views.idea_create, name="idea_create"),
    path("challenges/<int:pk>/similar/", views.similar, name="similar"),
    path("<int:pk>/", views.idea_detail, name="idea_detail"),
    path("<int:pk>/edit/", views.idea_edit, name="idea_edit"),
    path("<int:pk>/support/", views.idea_support, name="idea_support"),
    path("<int:pk>/withdraw/", views.idea_withdraw, name="idea_withdraw"),
    path("<int:pk>/follow/", views.idea_follow, name="idea_follow"),
    path("<int:pk>/comments/", views.comment_create, name="comment_create"),
    path("<int:pk>/status/", views.idea_status, name="idea_status"),
    path("<int:pk>/merge/", views.idea_merge, name="idea_merge"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("assist/idea/", views.assist_idea, name="assist_idea"),
    path("assist/support/", views.assist_support, name="assist_support"),
]
