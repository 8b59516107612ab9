from django.urls import path

from ideas.backlog import views

app_name = "backlog"

urlpatterns = [
    path("", views.index, name="index"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/move/", views.item_move, name="item_move"),
    path("promote/<int:idea_pk>/", views.promote, name="promote"),
    path("hooks/<slug:slug>/", views.inbound, name="inbound"),
    path("<slug:slug>/", views.board, name="board"),
    path("<slug:slug>/new/", views.item_create, name="item_create"),
    path("<slug:slug>/bulk/", views.bulk_move, name="bulk_move"),
    path("<slug:slug>/export.csv", views.export_csv, name="export"),
    path("<slug:slug>/integrations/", views.integrations, name="integrations"),
]
