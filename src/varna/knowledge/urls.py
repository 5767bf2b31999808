from django.urls import path

from varna.knowledge import views

app_name = "knowledge"

K = "<slug:municipality>/knowledge/"

urlpatterns = [
    path(K, views.index, name="index"),
    path(K + "signs/", views.signs, name="signs"),
    path(K + "signs/<slug:key>/edit/", views.sign_edit, name="sign_edit"),
    path(K + "milieus/", views.milieus, name="milieus"),
    path(K + "paths-and-factors/", views.paths_and_factors, name="paths"),
    path(K + "laws/", views.laws, name="laws"),
    path(K + "lexicon/", views.lexicon, name="lexicon"),
    path(K + "lexicon/new/", views.lexicon_edit, name="lexicon_create"),
    path(K + "lexicon/<int:pk>/edit/", views.lexicon_edit, name="lexicon_edit"),
    path(K + "lexicon/<int:pk>/delete/", views.lexicon_delete, name="lexicon_delete"),
    path(K + "lexicon/<int:pk>/image/", views.lexicon_image, name="lexicon_image"),
    # The coordinator's vocabulary (ADR 0018); the onboarding checklist links to knowledge:vocabulary.
    path(K + "vocabulary/", views.vocabulary, name="vocabulary"),
    path(K + "vocabulary/install/", views.vocabulary_install, name="vocabulary_install"),
    path(K + "vocabulary/<slug:kind>/new/", views.vocabulary_create, name="vocabulary_create"),
    path(K + "vocabulary/<slug:kind>/<slug:key>/edit/", views.vocabulary_edit, name="vocabulary_edit"),
    path(K + "vocabulary/<slug:kind>/<slug:key>/retire/", views.vocabulary_retire, name="vocabulary_retire"),
]
