"""Open data pages (/data/), feeds (/feeds/) and the token page (/accounts/api-tokens/)."""

from django.urls import path

from api import feeds, web

app_name = "open_data"

urlpatterns = [
    path("data/", web.index, name="index"),
    path("data/open-data.zip", web.download, name="download"),
    path("feeds/challenges/<int:pk>/ideas/", feeds.ChallengeIdeasFeed(), name="challenge_feed"),
    path("feeds/status-changes/", feeds.StatusChangesFeed(), name="status_feed"),
    path("feeds/news/", feeds.NewsFeed(), name="news_feed"),
    path("accounts/api-tokens/", web.tokens, name="tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", web.token_revoke, name="token_revoke"),
]
