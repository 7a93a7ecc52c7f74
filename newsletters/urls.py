from django.urls import path

from . import views

app_name = "newsletters"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("check-your-email/", views.check_email, name="check-email"),
    path("confirm/<str:key>/", views.confirm, name="confirm"),
    path("manage/<str:key>/", views.manage, name="manage"),
    path("unsubscribe/<str:key>/", views.unsubscribe, name="unsubscribe"),
]
