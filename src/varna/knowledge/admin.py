from django.contrib import admin

from varna.knowledge.models import Definition, Factor, LawReference, LexiconEntry, Milieu, PathIn, Sign

for model in (Definition, Factor, LawReference, LexiconEntry, Milieu, PathIn):
    admin.site.register(model)


@admin.register(Sign)
class SignAdmin(admin.ModelAdmin):
    list_display = ["key", "tier", "text", "municipality"]
    list_filter = ["tier", "municipality"]
