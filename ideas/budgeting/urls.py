from django.urls import path

from ideas.budgeting import views, views_staff

app_name = "budgeting"

urlpatterns = [
    path("", views.process_list, name="process_list"),
    path("<slug:slug>/", views.process_detail, name="process"),
    path("<slug:slug>/propose/", views.propose, name="propose"),
    path("<slug:slug>/verify/", views.verify, name="verify"),
    path("<slug:slug>/projects/<int:number>/", views.project_detail, name="project"),
    path("<slug:slug>/budgets/<int:pk>/", views.budget_detail, name="budget"),
    path("<slug:slug>/budgets/<int:pk>/ballot/", views.ballot, name="ballot"),
    path("<slug:slug>/budgets/<int:pk>/ballot/saved/", views.ballot_saved, name="ballot_saved"),
    path("<slug:slug>/budgets/<int:pk>/results/", views.results, name="results"),
    path("<slug:slug>/budgets/<int:pk>/deliver/", views.deliver, name="deliver"),
    # staff
    path("<slug:slug>/review/", views_staff.review_list, name="review"),
    path(
        "<slug:slug>/projects/<int:number>/review/",
        views_staff.project_review,
        name="project_review",
    ),
    path(
        "<slug:slug>/projects/<int:number>/merge/", views_staff.project_merge, name="project_merge"
    ),
    path("<slug:slug>/close/", views_staff.close_voting, name="close_voting"),
    path("<slug:slug>/publish/", views_staff.publish, name="publish"),
    path("<slug:slug>/budgets/<int:pk>/count/", views_staff.count, name="count"),
    path("<slug:slug>/counter/", views_staff.counter, name="counter"),
    path("<slug:slug>/counter/verify/", views_staff.counter_verify, name="counter_verify"),
    path("<slug:slug>/counter/paper/", views_staff.paper_enter, name="paper_enter"),
    path(
        "<slug:slug>/counter/paper/<int:pk>/confirm/",
        views_staff.paper_confirm,
        name="paper_confirm",
    ),
]
